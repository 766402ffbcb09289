// The brochure's emergency tree (§9.2, SPEC §1.4) end to end, one scenario per leaf: the
// dispensing software asks over HTTP while the simulator is down (its listener closed: every
// connection refused), the daemon runs nodes 3–4 from its store, and the pharmacist answers
// nodes 5–8 through POST /v1/consultations/{id}/fallback-answers. One stack for the file: the
// online part first (what the pharmacy knows), then the simulator goes down for good.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, brusselsDay } from "../../src/commitment/index.js";
import { makeNiss } from "../../src/identifiers/index.js";
import { SCENARIO_NISS } from "../../src/simulator/index.js";
import { startStack, type Reply, type Stack } from "../support/stack.js";

let stack: Stack;
const today = brusselsDay(new Date());
const yesterday = addDays(today, -1);
let counter = 0;
let strangers = 0;
// A patient the pharmacy has never consulted (node 3: no).
const stranger = () => makeNiss({ birthDate: "1961-04-17", sequence: 100 + 2 * ++strangers });
let onlineOrdinary: Reply["json"];

const consult = (niss: string, deliveryDate = today) =>
  stack.request("POST", "/v1/consultations", {
    body: { patient: { niss }, deliveryDate, reference: `leaf-${++counter}` },
  });
const answer = (id: string, answers: unknown[], token?: string) =>
  stack.request("POST", `/v1/consultations/${id}/fallback-answers`, {
    token: token ?? stack.tokens.pharmacist,
    body: { answers },
    headers: { "accept-language": "en" },
  });
const stored = async (id: string) => (await stack.request("GET", `/v1/consultations/${id}`)).json;
const sisCard = { ct1: "131", ct2: "131", mutuality: "311", registrationNumber: "31 0048 302A" };

beforeAll(async () => {
  stack = await startStack({
    env: { MCN_TIMEOUT_MS: "500", MCN_CACHE_TTL_MS: "1", MCN_PROBE_MS: "600000" },
  });
  // What the pharmacy knows before the outage: two patients consulted online today.
  onlineOrdinary = (await consult(SCENARIO_NISS.ordinary)).json;
  expect((await consult(SCENARIO_NISS.preferential)).json.outcome).toBe("online");
  stack.demo.simulator.faults.set({ all: { kind: "down" } });
  await stack.demo.simulator.settled();
});
afterAll(() => stack.stop());

describe("leaves of the tree, simulator down", () => {
  it("online (node 2 yes): the answer of MyCareNet, payment commitment", () => {
    expect(onlineOrdinary).toMatchObject({
      outcome: "online",
      guarantee: "payment-commitment",
      insured: true,
      fallback: null,
      commitment: { coverage: { start: today, end: addDays(today, 30) } },
    });
  });

  it("reused-commitment (node 4 yes): the stored commitment covering the date, automatically", async () => {
    const res = await consult(SCENARIO_NISS.ordinary);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      outcome: "reused-commitment",
      guarantee: "payment-commitment",
      insured: true,
      entitlement: { ct1: "110", ct2: "110", preferential: false },
      commitment: onlineOrdinary.commitment,
      fallback: {
        path: [1, 2, 3, 4],
        question: null,
        data: { source: "stored-commitment", ct1: "110", ct2: "110", mutuality: "121" },
      },
    });
    expect(["connect-refused", "circuit-open"]).toContain(res.json.fallback.reason);
    const refused = await answer(res.json.id, [{ node: 5, answer: true }]);
    expect([refused.status, refused.json.code]).toEqual([409, "FALLBACK_NOT_PENDING"]);
  });

  it("last-known (node 5 yes): the last known online consultation, basic principle", async () => {
    const asked = (await consult(SCENARIO_NISS.ordinary, yesterday)).json;
    expect(asked).toMatchObject({
      outcome: "needs-pharmacist",
      guarantee: null,
      commitment: null,
      fallback: {
        path: [1, 2, 3, 4, 5],
        question: { node: 5, code: "TRUST_LAST_KNOWN" },
        lastKnown: {
          consultedOn: today,
          insured: true,
          entitlement: { ct1: "110", ct2: "110", thirdPartyPayerRegime: "standard" },
          mutuality: "121",
        },
      },
    });
    expect(asked.fallback.question.text.length).toBeGreaterThan(10);
    const res = await answer(asked.id, [{ node: 5, answer: true, note: "regular patient, same card" }]);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id: asked.id,
      outcome: "last-known",
      guarantee: "basic-principle",
      insured: true,
      entitlement: { ct1: "110", ct2: "110", thirdPartyPayerRegime: "standard", preferential: false },
      fallback: {
        path: [1, 2, 3, 4, 5],
        question: null,
        data: { source: "last-known-consultation", insured: true, ct1: "110", ct2: "110", mutuality: "121" },
        answers: [
          {
            node: 5,
            code: "TRUST_LAST_KNOWN",
            answer: true,
            note: "regular patient, same card",
            by: { name: "pharmacist", nihii: stack.config.holder?.nihii },
          },
        ],
      },
    });
    const again = await stored(asked.id);
    expect(again).toMatchObject({
      outcome: "last-known",
      source: "store",
      fallback: { answers: [{ node: 5 }] },
    });
    expect(Date.parse(again.fallback.answers[0].at)).not.toBeNaN();
  });

  it("sis-card (node 6 yes, unknown patient): the card's data, SIS payment commitment", async () => {
    const asked = (await consult(stranger())).json;
    expect(asked.fallback).toMatchObject({ path: [1, 2, 3, 6], question: { node: 6 }, lastKnown: null });
    const res = await answer(asked.id, [{ node: 6, answer: true, data: sisCard }]);
    expect(res.json).toMatchObject({
      outcome: "sis-card",
      guarantee: "sis-commitment",
      insured: true,
      commitment: null,
      entitlement: { ct1: "131", ct2: "131", thirdPartyPayerRegime: null, preferential: true },
      fallback: { path: [1, 2, 3, 6], question: null, data: { source: "sis-card", ...sisCard } },
    });
  });

  it("sis-card after node 5 no (known patient, last data not trusted)", async () => {
    const asked = (await consult(SCENARIO_NISS.preferential, yesterday)).json;
    expect(asked.fallback.question).toMatchObject({ node: 5 });
    const res = await answer(asked.id, [
      { node: 5, answer: false, note: "says she changed mutuality" },
      { node: 6, answer: true, data: { ct1: "130", ct2: "130", mutuality: "319" } },
    ]);
    expect(res.json).toMatchObject({
      outcome: "sis-card",
      entitlement: { ct1: "130", preferential: false },
      fallback: {
        path: [1, 2, 3, 4, 5, 6],
        data: { mutuality: "319", registrationNumber: null },
        answers: [
          { node: 5, answer: false },
          { node: 6, answer: true, note: null },
        ],
      },
    });
  });

  it("document (node 8 yes), one question at a time: the document's data, basic principle", async () => {
    const asked = (await consult(stranger())).json;
    const step1 = (await answer(asked.id, [{ node: 6, answer: false }])).json;
    expect(step1).toMatchObject({
      outcome: "needs-pharmacist",
      fallback: { path: [1, 2, 3, 6, 7], question: { node: 7, code: "OTHER_DOCUMENT" } },
    });
    const step2 = (await answer(asked.id, [{ node: 7, answer: true, note: "mutuality sticker" }])).json;
    expect(step2.fallback.question).toMatchObject({ node: 8, code: "TRUST_DOCUMENT" });
    const sticker = { ct1: "110", ct2: "110", mutuality: "226", registrationNumber: "226-083070715" };
    const done = await answer(asked.id, [{ node: 8, answer: true, data: sticker }]);
    expect(done.json).toMatchObject({
      outcome: "document",
      guarantee: "basic-principle",
      insured: true,
      entitlement: { ct1: "110", ct2: "110", preferential: false },
      fallback: {
        path: [1, 2, 3, 6, 7, 8],
        question: null,
        data: { source: "document", ...sticker },
        answers: [{ node: 6 }, { node: 7, note: "mutuality sticker" }, { node: 8 }],
      },
    });
    expect(stack.daemon.store.fallbackAnswers(asked.id).map((a) => [a.node, a.answer])).toEqual([
      [6, false],
      [7, true],
      [8, true],
    ]);
  });

  it("model-704 from node 7 (no other document): no third-party payment", async () => {
    const asked = (await consult(stranger())).json;
    const res = await answer(asked.id, [
      { node: 6, answer: false },
      { node: 7, answer: false },
    ]);
    expect(res.json).toMatchObject({
      outcome: "model-704",
      guarantee: "none",
      insured: null,
      entitlement: null,
      commitment: null,
      fallback: { path: [1, 2, 3, 6, 7], question: null, data: null },
    });
  });

  it("model-704 from node 8 (document not trusted)", async () => {
    const asked = (await consult(stranger())).json;
    const res = await answer(asked.id, [
      { node: 6, answer: false },
      { node: 7, answer: true },
      { node: 8, answer: false, note: "sticker from 2019" },
    ]);
    expect(res.json).toMatchObject({
      outcome: "model-704",
      guarantee: "none",
      fallback: { path: [1, 2, 3, 6, 7, 8], data: null },
    });
  });

  it("queues every fallback delivery for recall, and counts the answers", async () => {
    const pending = (
      await stack.request("GET", "/v1/recalls?status=pending", { token: stack.tokens.pharmacist })
    ).json.recalls;
    expect(pending.length).toBeGreaterThanOrEqual(7);
    expect(pending.every((r: { status: string }) => r.status === "pending")).toBe(true);
    const metrics = (await stack.request("GET", "/metrics", { token: null })).body as string;
    for (const outcome of ["last-known", "sis-card", "document", "model-704"]) {
      expect(metrics).toMatch(new RegExp(`mcn_fallback_answers_total\\{outcome="${outcome}"\\} [1-9]`));
    }
  });
});

describe("refused answers change nothing", () => {
  const unchanged = async (id: string, before: unknown) => {
    expect(await stored(id)).toEqual(before);
  };

  it("an answer the path does not ask: FALLBACK_ANSWER_OFF_PATH, with the node and question", async () => {
    const asked = (await consult(stranger())).json;
    const before = await stored(asked.id);
    const res = await answer(asked.id, [
      { node: 5, answer: true },
      { node: 6, answer: true, data: sisCard },
    ]);
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({
      code: "FALLBACK_ANSWER_OFF_PATH",
      node: 5,
      question: "TRUST_LAST_KNOWN",
      reason: "not-on-path",
    });
    const beyond = await answer(asked.id, [
      { node: 6, answer: true, data: sisCard },
      { node: 7, answer: false },
    ]);
    expect(beyond.json).toMatchObject({ code: "FALLBACK_ANSWER_OFF_PATH", node: 7 });
    await unchanged(asked.id, before);
    expect(stack.daemon.store.fallbackAnswers(asked.id)).toEqual([]);
  });

  it("an answer given twice: FALLBACK_ALREADY_ANSWERED, the first stands", async () => {
    const asked = (await consult(stranger())).json;
    await answer(asked.id, [{ node: 6, answer: false, note: "first" }]);
    const before = await stored(asked.id);
    const again = await answer(asked.id, [{ node: 6, answer: true, data: sisCard }]);
    expect([again.status, again.json.code, again.json.node]).toEqual([409, "FALLBACK_ALREADY_ANSWERED", 6]);
    const twiceInOne = await answer(asked.id, [
      { node: 7, answer: true },
      { node: 7, answer: false },
    ]);
    expect([twiceInOne.status, twiceInOne.json.code]).toEqual([409, "FALLBACK_ALREADY_ANSWERED"]);
    await unchanged(asked.id, before);
    expect(stack.daemon.store.fallbackAnswers(asked.id)).toMatchObject([
      { node: 6, answer: false, note: "first" },
    ]);
    // A finished fallback takes no more answers: a new one is not pending, an old one is twice.
    await answer(asked.id, [{ node: 7, answer: false }]);
    const after = await answer(asked.id, [{ node: 8, answer: true, data: sisCard }]);
    expect([after.status, after.json.code, after.json.outcome]).toEqual([
      409,
      "FALLBACK_NOT_PENDING",
      "model-704",
    ]);
    expect((await answer(asked.id, [{ node: 7, answer: true }])).json.code).toBe("FALLBACK_ALREADY_ANSWERED");
  });

  it("SIS card data: required, checked field by field, and only where it is used", async () => {
    const asked = (await consult(stranger())).json;
    const before = await stored(asked.id);
    const missing = await answer(asked.id, [{ node: 6, answer: true }]);
    expect([missing.status, missing.json.code, missing.json.node]).toEqual([
      422,
      "FALLBACK_DATA_REQUIRED",
      6,
    ]);
    const bad = await answer(asked.id, [{ node: 6, answer: true, data: { ...sisCard, ct1: "13" } }]);
    expect(bad.json).toMatchObject({
      code: "FALLBACK_DATA_INVALID",
      node: 6,
      field: "ct1",
      reason: "format",
    });
    expect(bad.json.title).toContain("3 digits");
    const badMutuality = await answer(asked.id, [
      { node: 6, answer: true, data: { ...sisCard, mutuality: "800" } },
    ]);
    expect(badMutuality.json).toMatchObject({ code: "FALLBACK_DATA_INVALID", field: "mutuality" });
    const unused = await answer(asked.id, [{ node: 6, answer: false, data: sisCard }]);
    expect([unused.status, unused.json.code]).toEqual([422, "FALLBACK_DATA_UNEXPECTED"]);
    await unchanged(asked.id, before);
  });

  it("an online consultation, an unknown one, a bad node, or the dispensing role", async () => {
    const online = await answer(onlineOrdinary.id, [{ node: 5, answer: true }]);
    expect([online.status, online.json.code]).toEqual([409, "FALLBACK_NOT_PENDING"]);
    expect((await answer("no-such-consultation", [{ node: 6, answer: false }])).json.code).toBe(
      "CONSULTATION_NOT_FOUND",
    );
    const asked = (await consult(stranger())).json;
    const badNode = await answer(asked.id, [{ node: 4, answer: true }]);
    expect([badNode.status, badNode.json.code]).toEqual([400, "REQUEST_INVALID"]);
    const counter = await answer(asked.id, [{ node: 6, answer: false }], stack.tokens.dispensing);
    expect([counter.status, counter.json.code]).toEqual([403, "ROLE_FORBIDDEN"]);
    expect(stack.daemon.store.fallbackAnswers(asked.id)).toEqual([]);
  });
});
