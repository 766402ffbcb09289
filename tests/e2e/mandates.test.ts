// Mandates (SPEC §1.6, brochure §8.2.2.5) and the pricing office under them (§8.2.2.7), through
// HTTP: who may give one, every refusal with its code and nothing stored, revocation keeping the
// record, and the pricing office refused without a mandate in force, accepted with one (the
// use audited with the mandate's id, nothing else stored), refused again once it has expired.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, brusselsDay } from "../../src/commitment/index.js";
import { DEMO_PRICING_OFFICE_BCE } from "../../src/demo/tokens.js";
import { makeBce, makeNihii } from "../../src/identifiers/index.js";
import { SCENARIO_NISS } from "../../src/simulator/index.js";
import { testPki } from "../support/pki.js";
import { startStack, type Reply, type Stack } from "../support/stack.js";
import { rowCounter, type RowCounter } from "../support/store-rows.js";
import { dataDirWithTokens } from "../support/tokens.js";

const OTHER_BCE = makeBce(12_345_678);
const { dataDir, tokens } = dataDirWithTokens([
  { role: "pharmacist", name: "assistant", nihii: makeNihii(250_348, "002") },
  { role: "pharmacist", name: "anne" },
  { role: "pricing-office", name: "ot-unmandated" },
  { role: "pricing-office", name: "ot-other", mandatary: { kind: "company", id: OTHER_BCE } },
]);
let offsetDays = 0;
const clock = () => new Date(Date.now() + offsetDays * 86_400_000);
const today = () => brusselsDay(clock());
const delivered = addDays(brusselsDay(new Date()), -2);
let stack: Stack;
let rows: RowCounter;

beforeAll(async () => {
  stack = await startStack({ dataDir, clock });
  const made = await stack.request("POST", "/v1/consultations", {
    body: { patient: { niss: SCENARIO_NISS.ordinary }, deliveryDate: delivered, reference: "ticket-m1" },
  });
  expect(made.status).toBe(201);
  rows = rowCounter(stack.dataDir);
});
afterAll(async () => {
  rows?.close();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const give = (body: object, token = stack.tokens.pharmacist) =>
  stack.request("POST", "/v1/mandates", { token, body });
const terms = (over: Record<string, unknown> = {}) => ({
  mandatary: { kind: "company", id: DEMO_PRICING_OFFICE_BCE, name: "Office de tarification du Parc" },
  service: "insurability",
  validFrom: addDays(today(), -10),
  validUntil: addDays(today(), 30),
  reference: "MAND-2026-001",
  ...over,
});
const otRequest = (invoiceReference = "OT-77/1") => ({
  rejection: { invoiceReference, reasonCode: "200820", rejectedOn: brusselsDay(new Date()) },
  patient: { niss: SCENARIO_NISS.ordinary },
  deliveryDate: delivered,
});
const ot = (token: string, body: object = otRequest()) =>
  stack.request("POST", "/v1/pricing-office/consultations", { token, body });

/** Runs `act` and checks that nothing changed: rows of every table and the audit head. */
async function refusedWithNothingStored(act: () => Promise<Reply>) {
  const before = { rows: rows.counts(), audit: stack.daemon.store.auditHead() };
  const res = await act();
  expect({ rows: rows.counts(), audit: stack.daemon.store.auditHead() }).toEqual(before);
  return res;
}

const tried: Array<[string, string]> = [];
const refusal = async (label: string, act: () => Promise<Reply>) => {
  const res = await refusedWithNothingStored(act);
  tried.push([label, res.json.code]);
  return res;
};
afterAll(() => console.info(`mandate refusals tried: ${JSON.stringify(tried)}`));

describe("the pricing office without a mandate", () => {
  it("is refused before any other check, whatever else is wrong, and MyCareNet is not asked", async () => {
    const calls = stack.demo.simulator.upstreamCalls();
    // Not even a delivery on record, and an invalid reason: the mandate is what it hears about first.
    const body = {
      ...otRequest(),
      rejection: { ...otRequest().rejection, reasonCode: "100101" },
      deliveryDate: addDays(delivered, -1),
    };
    for (const token of [stack.tokens.pricingOffice, tokens["ot-unmandated"] as string]) {
      const before = stack.daemon.store.auditHead().seq;
      const res = await ot(token, body);
      expect(res.status).toBe(403);
      expect(res.json).toMatchObject({ code: "PURPOSE_NOT_ALLOWED", reason: "MANDATE_REQUIRED" });
      expect(res.json.detail).toContain("portail");
      const entries = stack.daemon.store.auditEntries(before + 1);
      expect(entries.map((e) => [e.action, e.detail?.["reason"]])).toEqual([
        ["pricing-office.refused", "MANDATE_REQUIRED"],
      ]);
    }
    expect(stack.demo.simulator.upstreamCalls()).toBe(calls);
  });
});

describe("giving a mandate: only the titular pharmacist, every rule", () => {
  it("refuses a pharmacist who is not the holder", async () => {
    const res = await refusal("not the holder", () => give(terms(), tokens["assistant"]));
    expect([res.status, res.json.code]).toEqual([403, "MANDATE_NOT_HOLDER"]);
    const list = await stack.request("GET", "/v1/mandates", { token: tokens["assistant"] as string });
    expect(list.json.code).toBe("MANDATE_NOT_HOLDER");
  });

  it.each([
    [
      "a BCE number with a wrong check",
      { mandatary: { kind: "company", id: "0403.170.702", name: "x" } },
      400,
      "BCE_CHECKSUM",
    ],
    [
      "a BCE number of 9 digits",
      { mandatary: { kind: "company", id: "403170701", name: "x" } },
      400,
      "BCE_FORMAT",
    ],
    [
      "a person's NIHII for a pharmacy",
      { mandatary: { kind: "pharmacy", id: makeNihii(250_349, "001"), name: "x" } },
      400,
      "NIHII_FORMAT",
    ],
    [
      "a pharmacy NIHII with a wrong check",
      { mandatary: { kind: "pharmacy", id: "12345678", name: "x" } },
      400,
      "NIHII_CHECKSUM",
    ],
    [
      "a NISS with a wrong check",
      { mandatary: { kind: "person", id: "85073003329", name: "x" } },
      400,
      "NISS_CHECKSUM",
    ],
    [
      "the pharmacy itself",
      { mandatary: { kind: "pharmacy", id: testPki().pharmacy.nihii, name: "x" } },
      400,
      "MANDATE_TO_ITSELF",
    ],
    [
      "its own titular pharmacist",
      { mandatary: { kind: "person", id: testPki().holder.ssin, name: "x" } },
      400,
      "MANDATE_TO_ITSELF",
    ],
    [
      "an end before the start",
      { validFrom: "2026-06-10", validUntil: "2026-06-09" },
      400,
      "MANDATE_PERIOD_INVALID",
    ],
    [
      "a period already over",
      { validFrom: "2020-01-01", validUntil: "2020-12-31" },
      400,
      "MANDATE_PERIOD_INVALID",
    ],
    ["another service", { service: "eattest" }, 400, "REQUEST_INVALID"],
    ["a blank reference", { reference: "   " }, 400, "REQUEST_INVALID"],
    [
      "a name holding a control character",
      { mandatary: { kind: "company", id: OTHER_BCE, name: "OT\u0000" } },
      400,
      "REQUEST_INVALID",
    ],
  ])("refuses %s", async (label, over, status, code) => {
    const res = await refusal(label, () => give(terms(over)));
    expect([res.status, res.json.code]).toEqual([status, code]);
  });

  it("records a mandate, audited, and lists it", async () => {
    const before = stack.daemon.store.auditHead().seq;
    const res = await give(
      terms({ mandatary: { kind: "company", id: `BE ${DEMO_PRICING_OFFICE_BCE}`, name: "OT du Parc" } }),
    );
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      mandatary: { kind: "company", id: DEMO_PRICING_OFFICE_BCE, name: "OT du Parc" },
      service: "insurability",
      state: "active",
      revoked: null,
      createdBy: "pharmacist",
    });
    const [entry] = stack.daemon.store.auditEntries(before + 1);
    expect(entry).toMatchObject({
      action: "mandate.given",
      detail: { mandate: res.json.id, reference: "MAND-2026-001" },
    });
    const list = await stack.request("GET", "/v1/mandates", { token: stack.tokens.pharmacist });
    expect(list.json.mandates.map((m: { id: string }) => m.id)).toEqual([res.json.id]);
  });

  it("refuses a second mandate for the service over any common day (409 MANDATE_OVERLAP)", async () => {
    const [existing] = stack.daemon.store.mandates.list();
    const res = await refusal("overlap", () =>
      give(
        terms({
          mandatary: { kind: "company", id: OTHER_BCE, name: "Autre OT" },
          validFrom: addDays(today(), 30),
          validUntil: addDays(today(), 60),
        }),
      ),
    );
    expect([res.status, res.json.code, res.json.mandate]).toEqual([409, "MANDATE_OVERLAP", existing?.id]);
  });

  it("lets a pharmacist without the holder's NIHII act once it opened a session with the holder's own identity", async () => {
    const anne = tokens["anne"] as string;
    expect((await stack.request("GET", "/v1/mandates", { token: anne })).json.code).toBe(
      "MANDATE_NOT_HOLDER",
    );
    const opened = await stack.request("POST", "/v1/sessions", {
      token: anne,
      body: { method: "personal-certificate" },
    });
    expect(opened.status).toBe(201);
    const res = await give(
      terms({
        mandatary: { kind: "company", id: OTHER_BCE, name: "Autre OT" },
        validFrom: addDays(today(), 31),
        validUntil: addDays(today(), 60),
      }),
      anne,
    );
    expect([res.status, res.json.state, res.json.createdBy]).toEqual([201, "future", "anne"]);
    await stack.request("DELETE", `/v1/sessions/${opened.json.id}`, { token: anne });
  });
});

describe("the pricing office under a mandate", () => {
  it("is accepted for its mandatary; the use names the mandate, and nothing is stored but the audit", async () => {
    const [mandate] = stack.daemon.store.mandates.list();
    const before = rows.counts();
    const auditBefore = stack.daemon.store.auditHead().seq;
    const res = await ot(stack.tokens.pricingOffice);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ insured: true, mandate: mandate?.id });
    const entries = stack.daemon.store.auditEntries(auditBefore + 1);
    expect(entries.map((e) => [e.action, e.detail?.["mandate"]])).toEqual([
      ["pricing-office.consulted", mandate?.id],
    ]);
    const after = rows.counts();
    expect({ ...after, audit: 0 }).toEqual({ ...before, audit: 0 });
  });

  it("is refused for another mandatary, and for one whose mandate starts later", async () => {
    for (const token of [tokens["ot-unmandated"] as string, tokens["ot-other"] as string]) {
      const res = await ot(token);
      expect([res.status, res.json.reason]).toEqual([403, "MANDATE_REQUIRED"]);
    }
  });

  it("counts uses per rejection by its normalised reference: rewriting it does not open new uses", async () => {
    expect((await ot(stack.tokens.pricingOffice, otRequest("ot 77 1"))).status).toBe(200); // second use
    const third = await ot(stack.tokens.pricingOffice, otRequest("OT/77-1"));
    expect([third.status, third.json.reason]).toEqual([403, "REJECTION_USES_EXHAUSTED"]);
  });
});

describe("revocation keeps the record", () => {
  it("revokes, refuses to revoke twice or what does not exist, and the pricing office loses its access", async () => {
    const [mandate] = stack.daemon.store.mandates.list();
    const res = await stack.request("DELETE", `/v1/mandates/${mandate?.id}`, {
      token: stack.tokens.pharmacist,
    });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: mandate?.id, state: "revoked", revoked: { by: "pharmacist" } });
    const list = await stack.request("GET", "/v1/mandates", { token: stack.tokens.pharmacist });
    expect(list.json.mandates.find((m: { id: string }) => m.id === mandate?.id)).toMatchObject({
      state: "revoked",
    });
    const again = await refusal("revoked twice", () =>
      stack.request("DELETE", `/v1/mandates/${mandate?.id}`, { token: stack.tokens.pharmacist }),
    );
    expect([again.status, again.json.code]).toEqual([409, "MANDATE_ALREADY_REVOKED"]);
    const unknown = await refusal("unknown mandate", () =>
      stack.request("DELETE", "/v1/mandates/3f0c9a4e-7c1b-4d2e-9a55-0b6f1e2d3c4b", {
        token: stack.tokens.pharmacist,
      }),
    );
    expect([unknown.status, unknown.json.code]).toEqual([404, "MANDATE_NOT_FOUND"]);
    const notHolder = await refusal("revoked by a non-holder", () =>
      stack.request("DELETE", `/v1/mandates/${mandate?.id}`, { token: tokens["assistant"] as string }),
    );
    expect(notHolder.json.code).toBe("MANDATE_NOT_HOLDER");
    const use = await ot(stack.tokens.pricingOffice, otRequest("OT-78"));
    expect([use.status, use.json.reason]).toEqual([403, "MANDATE_REQUIRED"]);
  });

  it("a revoked mandate no longer blocks a new one for the same period", async () => {
    const res = await give(terms({ validFrom: today(), validUntil: addDays(today(), 30) }));
    expect([res.status, res.json.state]).toEqual([201, "active"]);
    expect((await ot(stack.tokens.pricingOffice, otRequest("OT-79"))).status).toBe(200);
  });
});

describe("expiry", () => {
  it("ends the pricing office's access the day after validUntil", async () => {
    offsetDays = 31;
    try {
      const res = await ot(stack.tokens.pricingOffice, otRequest("OT-80"));
      expect([res.status, res.json.reason]).toEqual([403, "MANDATE_REQUIRED"]);
      const list = await stack.request("GET", "/v1/mandates", { token: stack.tokens.pharmacist });
      expect(list.json.mandates.map((m: { state: string }) => m.state)).toEqual([
        "revoked",
        "expired",
        "active",
      ]);
    } finally {
      offsetDays = 0;
    }
  });
});
