// The pharmacist's override (SPEC §1.4 nodes 5–8) over a temporary store: consultations made by
// the real consultation service during a scripted outage, then answered. A refused request
// changes nothing; an accepted one stores the answers, the outcome and one audit entry.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ConsultationView } from "../consultation/document.js";
import { CodedError } from "../errors.js";
import { niss } from "../store/__fixtures__/store-fixture.js";
import type { ConsultationService } from "./consultation.js";
import { answerFallback, type FallbackAnswersBody } from "./fallback-answers.js";
import { answered, insured, ScriptedUpstream } from "./__fixtures__/scripted-upstream.js";
import { consultationService, COUNTER, PHARMACIST, world, type World } from "./__fixtures__/world.js";

const UNKNOWN = niss("750615123");
const KNOWN = niss("800101002");
const TODAY = "2025-03-10";
const SIS = { ct1: "110", ct2: "110", mutuality: "319" };

let w: World;
let upstream: ScriptedUpstream;
let consultations: ConsultationService;
let answeredViews: ConsultationView[];

const answer = (id: string, body: FallbackAnswersBody) =>
  answerFallback(
    { store: w.store, clock: w.clock.now, onAnswered: (v) => answeredViews.push(v) },
    id,
    body,
    PHARMACIST,
  );

async function codeOf(run: () => unknown): Promise<{ code: string; detail: unknown }> {
  try {
    await run();
  } catch (err) {
    if (err instanceof CodedError) return { code: err.code, detail: err.detail };
    throw err;
  }
  throw new Error("expected a CodedError");
}

/** A consultation during an outage; `known` first asks online once so the patient is known. */
async function pending(patient: string, known = false): Promise<string> {
  if (known) {
    upstream.script(answered("no-right", patient, "2025-03-03"));
    await consultations.consult(
      { patient: { niss: patient }, deliveryDate: "2025-03-03", reference: "BEFORE" },
      COUNTER,
    );
  }
  upstream.script({ outage: "timeout" });
  const { view } = await consultations.consult({ patient: { niss: patient }, reference: "OUTAGE" }, COUNTER);
  expect(view.outcome).toBe("needs-pharmacist");
  return view.id;
}

beforeEach(() => {
  w = world(`${TODAY}T09:30:00Z`);
  upstream = new ScriptedUpstream();
  answeredViews = [];
  consultations = consultationService(w, upstream);
});
afterEach(() => w.close());

const auditOf = (action: string) => w.store.auditEntries().filter((e) => e.action === action);

describe("answerFallback accepted", () => {
  it("SIS card yes: stores the card's data as the outcome, audited once", async () => {
    const id = await pending(UNKNOWN);
    w.clock.advance(60_000);
    const row = await answer(id, { answers: [{ node: 6, answer: true, data: SIS, note: "card read" }] });
    expect(row).toMatchObject({ outcome: "sis-card", guarantee: "sis-commitment", insured: true });
    const view = row.answer as ConsultationView;
    expect(view.fallback?.data).toMatchObject({ source: "sis-card", ct1: "110", mutuality: "319" });
    expect(view.fallback?.answers).toEqual([
      expect.objectContaining({
        node: 6,
        answer: true,
        note: "card read",
        by: { name: PHARMACIST.name, nihii: "12345678001" },
        at: "2025-03-10T09:31:00.000Z",
      }),
    ]);
    expect(w.store.fallbackAnswers(id)).toHaveLength(1);
    const audit = auditOf("fallback.answered");
    expect(audit).toHaveLength(1);
    expect(audit[0]?.detail).toMatchObject({
      consultation: id,
      outcome: "sis-card",
      answers: [{ node: 6, answer: true }],
    });
    expect(answeredViews.map((v) => v.outcome)).toEqual(["sis-card"]);
  });

  it("answers in two requests: SIS card no, then no other document → model 704", async () => {
    const id = await pending(UNKNOWN);
    const first = await answer(id, { answers: [{ node: 6, answer: false }] });
    expect(first.outcome).toBe("needs-pharmacist");
    expect((first.answer as ConsultationView).fallback?.question).toMatchObject({ node: 7 });
    const second = await answer(id, { answers: [{ node: 7, answer: false }] });
    expect(second).toMatchObject({ outcome: "model-704", guarantee: "none" });
    expect((second.answer as ConsultationView).fallback?.answers?.map((a) => a.node)).toEqual([6, 7]);
  });

  it("trusted document: nodes 6, 7, 8 in one request with the document's data", async () => {
    const id = await pending(UNKNOWN);
    const row = await answer(id, {
      answers: [
        { node: 6, answer: false },
        { node: 7, answer: true },
        { node: 8, answer: true, data: { ...SIS, registrationNumber: "0001 13 NB7X" } },
      ],
    });
    expect(row.outcome).toBe("document");
    expect((row.answer as ConsultationView).fallback?.data).toMatchObject({
      source: "document",
      registrationNumber: "0001 13 NB7X",
    });
  });

  it("a known patient: trusting the last known consultation gives the basic principle", async () => {
    const id = await pending(KNOWN, true);
    const row = await answer(id, { answers: [{ node: 5, answer: true }] });
    expect(row).toMatchObject({ outcome: "last-known", guarantee: "basic-principle" });
    expect((row.answer as ConsultationView).fallback?.data).toMatchObject({
      source: "last-known-consultation",
      insured: false,
    });
  });
});

describe("answerFallback refused, nothing changed", () => {
  const unchanged = (id: string) => {
    expect(w.store.fallbackAnswers(id)).toEqual([]);
    expect(w.store.getConsultation(id)?.outcome).toBe("needs-pharmacist");
    expect(auditOf("fallback.answered")).toEqual([]);
    expect(answeredViews).toEqual([]);
  };

  it("CONSULTATION_NOT_FOUND for an unknown id", async () => {
    expect((await codeOf(() => answer("nope", { answers: [{ node: 6, answer: false }] }))).code).toBe(
      "CONSULTATION_NOT_FOUND",
    );
  });

  it("FALLBACK_ALREADY_ANSWERED for a node twice in one request", async () => {
    const id = await pending(UNKNOWN);
    const r = await codeOf(() =>
      answer(id, {
        answers: [
          { node: 6, answer: false },
          { node: 6, answer: true },
        ],
      }),
    );
    expect(r).toEqual({ code: "FALLBACK_ALREADY_ANSWERED", detail: { node: 6, reason: "twice-in-request" } });
    unchanged(id);
  });

  it("FALLBACK_ALREADY_ANSWERED for a node answered before", async () => {
    const id = await pending(UNKNOWN);
    await answer(id, { answers: [{ node: 6, answer: false }] });
    expect((await codeOf(() => answer(id, { answers: [{ node: 6, answer: true, data: SIS }] }))).code).toBe(
      "FALLBACK_ALREADY_ANSWERED",
    );
    expect(w.store.fallbackAnswers(id)).toHaveLength(1);
  });

  it("FALLBACK_NOT_PENDING for an online consultation", async () => {
    upstream.script(insured(UNKNOWN, TODAY));
    const { view } = await consultations.consult(
      { patient: { niss: UNKNOWN }, reference: "ONLINE" },
      COUNTER,
    );
    expect(await codeOf(() => answer(view.id, { answers: [{ node: 6, answer: false }] }))).toEqual({
      code: "FALLBACK_NOT_PENDING",
      detail: { outcome: "online" },
    });
  });

  it("FALLBACK_ANSWER_OFF_PATH for node 5 of an unknown patient", async () => {
    const id = await pending(UNKNOWN);
    const r = await codeOf(() => answer(id, { answers: [{ node: 5, answer: true }] }));
    expect(r.code).toBe("FALLBACK_ANSWER_OFF_PATH");
    expect(r.detail).toMatchObject({ node: 5, question: "TRUST_LAST_KNOWN" });
    unchanged(id);
  });

  it("FALLBACK_DATA_REQUIRED for SIS card yes without the card's data", async () => {
    const id = await pending(UNKNOWN);
    expect((await codeOf(() => answer(id, { answers: [{ node: 6, answer: true }] }))).code).toBe(
      "FALLBACK_DATA_REQUIRED",
    );
    unchanged(id);
  });

  it("FALLBACK_DATA_UNEXPECTED for data with a no", async () => {
    const id = await pending(UNKNOWN);
    expect((await codeOf(() => answer(id, { answers: [{ node: 6, answer: false, data: SIS }] }))).code).toBe(
      "FALLBACK_DATA_UNEXPECTED",
    );
    unchanged(id);
  });

  it("FALLBACK_DATA_INVALID for a malformed CT1, with the field", async () => {
    const id = await pending(UNKNOWN);
    const r = await codeOf(() =>
      answer(id, { answers: [{ node: 6, answer: true, data: { ...SIS, ct1: "11" } }] }),
    );
    expect(r.code).toBe("FALLBACK_DATA_INVALID");
    expect(r.detail).toMatchObject({ node: 6, field: "ct1" });
    unchanged(id);
  });
});
