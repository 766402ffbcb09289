// Online consultation end to end (issue: online consultation): the dispensing software asks the
// daemon over HTTP, the daemon signs and sends to the simulator (strict: every request checked
// against the XSD), the synthetic insurers answer with the rules of SPEC §1.3.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, brusselsDay } from "../../src/commitment/index.js";
import { SCENARIO_NISS } from "../../src/simulator/index.js";
import { startStack, type Stack } from "../support/stack.js";

let stack: Stack;
let today: string;
let counter = 0;
const ref = () => `ticket-${++counter}`;

beforeAll(async () => {
  stack = await startStack();
  today = brusselsDay(new Date());
});
afterAll(() => stack.stop());

const consult = (patient: object, deliveryDate?: string) =>
  stack.request("POST", "/v1/consultations", {
    body: { patient, reference: ref(), ...(deliveryDate ? { deliveryDate } : {}) },
  });

describe("scenarios of the synthetic population", () => {
  it("ordinary patient: payment commitment for delivery date + 30 days", async () => {
    const res = await consult({ niss: SCENARIO_NISS.ordinary });
    expect(res.status).toBe(201);
    const c = res.json;
    expect(c).toMatchObject({
      outcome: "online",
      guarantee: "payment-commitment",
      insured: true,
      source: "online",
      deliveryDate: today,
      entitlement: { ct1: "110", ct2: "110", thirdPartyPayerRegime: "standard", preferential: false },
      commitment: {
        coverage: { start: today, end: addDays(today, 30) },
        consultedOn: today,
        reusableUntil: addDays(today, 30),
      },
      returnCode: { major: "01", minor: "00", detail: "00000" },
      warnings: [],
    });
    expect(c.commitment.paymentApproval).toHaveLength(32);
    expect(c.commitment.paymentApprovalSeed).toHaveLength(10);
    expect(c.commitment.invoicingOfficeCheckDigit).toHaveLength(2);
    expect(c.patient).toMatchObject({
      niss: SCENARIO_NISS.ordinary,
      firstName: "Lucas",
      lastName: "Peeters",
    });
    expect(c.session.user.nihii).toBe(stack.config.holder?.nihii);
  });

  it("preferential patient (BIM): elevated regime", async () => {
    const c = (await consult({ niss: SCENARIO_NISS.preferential })).json;
    expect(c.entitlement).toEqual({
      ct1: "131",
      ct2: "131",
      thirdPartyPayerRegime: "elevated",
      preferential: true,
    });
    expect(c.warnings).toEqual([]);
  });

  it("status change inside the window: coverage ends the day before the change", async () => {
    const c = (await consult({ niss: SCENARIO_NISS.ctChangeInWindow })).json;
    expect(c.commitment.coverage).toEqual({ start: today, end: addDays(today, 9) });
    expect(c.entitlement.ct1).toBe("110");
  });

  it("consecutive periods with the same status are merged (annex example 6)", async () => {
    const c = (await consult({ niss: SCENARIO_NISS.consecutiveSameStatus })).json;
    expect(c.commitment.coverage).toEqual({ start: today, end: addDays(today, 30) });
  });

  it("transfer: the insurer at the delivery date answers", async () => {
    const now = (await consult({ niss: SCENARIO_NISS.transfer })).json;
    expect(now.patient.mutuality).toBe("319");
    const before = (await consult({ niss: SCENARIO_NISS.transfer }, addDays(today, -15))).json;
    expect(before.patient.mutuality).toBe("226");
    // annex examples 4-5: the window ended before the consultation date, never reusable
    expect(before.commitment.coverage).toEqual({ start: addDays(today, -15), end: addDays(today, -11) });
    expect(before.commitment.reusableUntil).toBeNull();
  });

  it("end of rights inside the window", async () => {
    const c = (await consult({ niss: SCENARIO_NISS.endOfRights })).json;
    expect(c.commitment.coverage.end).toBe(addDays(today, 4));
  });

  it.each([
    ["noRight", "NO_RIGHT_AT_DATE"],
    ["deceased", "NO_RIGHT_AT_DATE"],
    ["unknown", "PATIENT_UNKNOWN"],
    ["multipleInsurers", "MULTIPLE_INSURERS"],
  ] as const)("%s: an answer without right, no commitment", async (name, reason) => {
    const res = await consult({ niss: SCENARIO_NISS[name] });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      outcome: "online",
      insured: false,
      guarantee: "none",
      commitment: null,
      reason,
    });
  });

  it.each([
    ["bis", "750"],
    ["bisSexUnknown", "999"],
  ] as const)("BIS number %s, served through CAAMI", async (name, mutuality) => {
    const c = (await consult({ niss: SCENARIO_NISS[name] })).json;
    expect(c).toMatchObject({ insured: true, patient: { mutuality } });
  });

  it("newborn by mutuality + registration number, kept verbatim", async () => {
    const c = (await consult({ mutuality: "132", registrationNumber: "0001 13 NB7X" })).json;
    expect(c).toMatchObject({
      insured: true,
      patient: { mutuality: "132", registrationNumber: "0001 13 NB7X" },
    });
  });

  it("regime disagreeing with CT1: answered, with the warning in the request's language", async () => {
    const res = await stack.request("POST", "/v1/consultations", {
      body: { patient: { niss: SCENARIO_NISS.regimeMismatch }, reference: ref() },
      headers: { "accept-language": "nl" },
    });
    expect(res.json.insured).toBe(true);
    expect(res.json.warnings).toEqual([
      { code: "REGIME_CT_MISMATCH", message: expect.stringMatching(/derdebetalers/) },
    ]);
  });
});

describe("bad input never leaves the pharmacy", () => {
  it.each([
    [{ niss: "85061300179" }, undefined, "NISS_CHECKSUM"],
    [{ niss: "8506130017" }, undefined, "NISS_FORMAT"],
    [{ mutuality: "800", registrationNumber: "x" }, undefined, "MUTUALITY_FORMAT"],
    [{ mutuality: "132", registrationNumber: "12345678901234" }, undefined, "REGISTRATION_NUMBER_FORMAT"],
    [{ niss: SCENARIO_NISS.ordinary, mutuality: "132" }, undefined, "REQUEST_INVALID"],
    [{ niss: SCENARIO_NISS.ordinary }, "2026-02-30", "DATE_FORMAT"],
    [{ niss: SCENARIO_NISS.ordinary }, "2999-01-01", "DATE_IN_FUTURE"],
  ])("%j on %s → %s, no upstream call", async (patient, deliveryDate, code) => {
    const before = stack.demo.simulator.upstreamCalls();
    const res = await consult(patient, deliveryDate);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.json.code).toBe(code);
    expect(stack.demo.simulator.upstreamCalls()).toBe(before);
  });
});

describe("references", () => {
  it("accepts a 64-character dispensing reference and keeps it whole", async () => {
    const reference = "R".repeat(30) + "-" + "é".repeat(33);
    const res = await stack.request("POST", "/v1/consultations", {
      body: { patient: { niss: SCENARIO_NISS.bis }, reference, deliveryDate: addDays(today, -5) },
    });
    expect(res.status).toBe(201);
    expect(res.json.reference).toBe(reference);
  });
});

describe("cache and single flight", () => {
  it("50 concurrent identical questions cause exactly one upstream call", async () => {
    const before = stack.demo.simulator.upstreamCalls();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => consult({ niss: SCENARIO_NISS.endOfRights }, addDays(today, -1))),
    );
    expect(stack.demo.simulator.upstreamCalls() - before).toBe(1);
    // Issue 14 §3 (changed on purpose): each prescription of the group is its own consultation,
    // with its own id and reference, answered by the one MyCareNet call.
    const ids = new Set(answers.map((a) => a.json.id));
    expect(ids.size).toBe(50);
    const made = answers.filter((a) => a.status === 201);
    expect(made).toHaveLength(1);
    const first = made[0]?.json;
    const shared = answers.filter((a) => a.status === 200 && a.json.source === "cache");
    expect(shared).toHaveLength(49);
    for (const a of shared) {
      expect(a.json.commitmentOf).toBe(first.id);
      expect(a.json.invoice).toEqual({ ...first.invoice, consultationId: first.id });
    }
    // and a later identical question within the TTL is answered from memory too
    const again = await consult({ niss: SCENARIO_NISS.endOfRights }, addDays(today, -1));
    expect(again.json).toMatchObject({ source: "cache", commitmentOf: first.id });
    expect(ids.has(again.json.id)).toBe(false);
    expect(stack.demo.simulator.upstreamCalls() - before).toBe(1);
  });
});

describe("durability", () => {
  it("keeps every acknowledged consultation and commitment across a restart", async () => {
    const made = (await consult({ niss: SCENARIO_NISS.preferential }, addDays(today, -2))).json;
    const sessionsBefore = stack.daemon.sessions.list().map((s) => s.id);
    await stack.restartDaemon();
    // the open eHealth session is acknowledged state too: it survives the restart
    expect(stack.daemon.sessions.list().map((s) => s.id)).toEqual(sessionsBefore);
    expect((await consult({ niss: SCENARIO_NISS.consecutiveSameStatus }, addDays(today, -4))).status).toBe(
      201,
    );
    const got = await stack.request("GET", `/v1/consultations/${made.id}`);
    expect(got.status).toBe(200);
    expect(got.json).toMatchObject({
      id: made.id,
      source: "store",
      commitment: made.commitment,
      entitlement: made.entitlement,
    });
    const commitment = await stack.request(
      "GET",
      `/v1/commitments?niss=${SCENARIO_NISS.preferential}&date=${today}`,
    );
    expect(commitment.status).toBe(200);
    expect(commitment.json).toMatchObject({
      consultationId: made.id,
      paymentApproval: made.commitment.paymentApproval,
    });
    // SPEC §1.3 reuse: never for a delivery before the consultation date
    const earlier = await stack.request(
      "GET",
      `/v1/commitments?niss=${SCENARIO_NISS.preferential}&date=${addDays(today, -1)}`,
    );
    expect(earlier.json.code).toBe("COMMITMENT_NOT_FOUND");
  });

  it("confirms a delivery once, refuses a second confirmation", async () => {
    const made = (await consult({ niss: SCENARIO_NISS.ordinary }, addDays(today, -3))).json;
    const first = await stack.request("POST", `/v1/consultations/${made.id}/delivery`, { body: {} });
    expect(first.status).toBe(200);
    expect(first.json.delivery.confirmedAt).toEqual(expect.any(String));
    expect(first.json.delivery.deliveredOn).toBe(today);
    // Issue 14 §3 (changed on purpose): the same confirmation again is idempotent, another day 409.
    const same = await stack.request("POST", `/v1/consultations/${made.id}/delivery`, { body: {} });
    expect([same.status, same.json.delivery]).toEqual([200, first.json.delivery]);
    const second = await stack.request("POST", `/v1/consultations/${made.id}/delivery`, {
      body: { deliveredOn: addDays(today, -1) },
    });
    expect(second.status).toBe(409);
    expect(second.json.code).toBe("DELIVERY_ALREADY_CONFIRMED");
    const missing = await stack.request("GET", "/v1/consultations/nope");
    expect(missing.json.code).toBe("CONSULTATION_NOT_FOUND");
  });
});
