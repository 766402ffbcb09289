// The six examples of brochure annex 11.1 (SPEC §1.3) replayed as reuse decisions through the
// HTTP API, with the simulator down: for each example the pharmacy holds the commitment that
// example's consultation gave, and the dispensing software asks for deliveries inside and
// outside the window "consultation date ≤ delivery date ≤ coverage end".
//
// How the 2011 commitments get into the store: through the store's own API
// (recordConsultation), exactly as an online consultation made on the annex's day would have
// left them — consultation instant on that day, coverage computed by src/commitment from the
// annex's insurability periods. Not through the simulator with a clock set back to 2011: its
// insurers answer from a population laid out around the day the simulator starts (the periods
// of examples 2 and 4 exist for nobody), and its test PKI's certificates are only valid from
// 2020, so an eHealth session on a 2011 clock is refused. What this file replays is the reuse
// rule at the counter, which is what those two would only have been a way to set up.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coverageWindow, type InsurabilityPeriod } from "../../src/commitment/index.js";
import { makeNiss } from "../../src/identifiers/index.js";
import { patientKeyOf } from "../../src/store/index.js";
import { startStack, type Stack } from "../support/stack.js";
import { documentFixture } from "../../src/consultation/__fixtures__/document.js";

const p110 = (begin: string, end: string): InsurabilityPeriod => ({ ct1: "110", ct2: "110", begin, end });

interface Example {
  n: number;
  consultation: string;
  delivery: string;
  periods: InsurabilityPeriod[];
  coverage: { start: string; end: string };
  /** Later deliveries the commitment serves during an outage ("au plus tard le …"). */
  reused: string[];
  /** Deliveries it must not serve. */
  refused: string[];
}

const examples: Example[] = [
  {
    n: 1,
    consultation: "2011-11-12",
    delivery: "2011-11-12",
    periods: [p110("2011-01-01", "2011-12-31")],
    coverage: { start: "2011-11-12", end: "2011-12-12" },
    reused: ["2011-11-12", "2011-11-30", "2011-12-12"],
    refused: ["2011-11-11", "2011-12-13"],
  },
  {
    n: 2,
    consultation: "2011-11-12",
    delivery: "2011-11-12",
    periods: [p110("2011-01-01", "2011-11-30")],
    coverage: { start: "2011-11-12", end: "2011-11-30" },
    reused: ["2011-11-12", "2011-11-30"],
    refused: ["2011-12-01", "2011-12-12"],
  },
  {
    n: 3,
    consultation: "2011-11-12",
    delivery: "2011-10-26",
    periods: [p110("2011-01-01", "2011-12-31")],
    coverage: { start: "2011-10-26", end: "2011-11-25" },
    // Covered from 26/10, but reusable only for deliveries from the consultation day on.
    reused: ["2011-11-12", "2011-11-25"],
    refused: ["2011-10-26", "2011-11-11", "2011-11-26"],
  },
  {
    n: 4,
    consultation: "2011-11-12",
    delivery: "2011-10-26",
    periods: [p110("2011-01-01", "2011-10-30")],
    coverage: { start: "2011-10-26", end: "2011-10-30" },
    reused: [],
    refused: ["2011-10-26", "2011-10-30", "2011-11-12"],
  },
  {
    n: 5,
    consultation: "2011-11-12",
    delivery: "2011-09-26",
    periods: [p110("2011-01-01", "2011-12-31")],
    coverage: { start: "2011-09-26", end: "2011-10-26" },
    reused: [],
    refused: ["2011-09-26", "2011-10-26", "2011-11-12"],
  },
  {
    n: 6,
    consultation: "2011-12-25",
    delivery: "2011-12-25",
    periods: [p110("2011-01-01", "2011-12-31"), p110("2012-01-01", "2012-12-31")],
    coverage: { start: "2011-12-25", end: "2012-01-24" },
    reused: ["2011-12-25", "2012-01-01", "2012-01-24"],
    refused: ["2011-12-24", "2012-01-25"],
  },
];

let stack: Stack;
let counter = 0;
const nissOf = (n: number) => makeNiss({ birthDate: "1970-05-0" + String(n), sequence: 200 + 2 * n });
const approval = (n: number, k = 0) => `ANNEX${n}${k}`.padEnd(32, "0");

/** What an online consultation made at noon (Brussels) on `consultation` would have stored. */
function seed(n: number, consultation: string, delivery: string, periods: InsurabilityPeriod[], k = 0) {
  const window = coverageWindow({ periods, deliveryDate: delivery, consultationDate: consultation });
  if (!window.ok) throw new Error(`example ${n}: ${window.code}`);
  const niss = nissOf(n);
  stack.daemon.store.recordConsultation({
    reference: `annex-${n}-${k}`,
    patientKey: patientKeyOf({ niss }),
    deliveryDate: delivery,
    consultedAt: new Date(`${consultation}T11:00:00Z`),
    principal: "counter-1",
    role: "dispensing",
    outcome: "online",
    guarantee: "payment-commitment",
    insured: true,
    answer: documentFixture({ reference: `annex-${n}-${k}` }),
    commitment: {
      paymentApproval: approval(n, k),
      paymentApprovalSeed: "SEED000000",
      invoicingOfficeCheckDigit: "42",
      coverage: window.value.coverage,
      ct1: "110",
      ct2: "110",
      mutuality: "121",
      regime: "standard",
    },
    knownPatient: { insured: true, ct1: "110", ct2: "110", mutuality: "121", regime: "standard" },
  });
  return window.value.coverage;
}

const consult = (n: number, deliveryDate: string) =>
  stack.request("POST", "/v1/consultations", {
    body: { patient: { niss: nissOf(n) }, deliveryDate, reference: `annex-ask-${++counter}` },
  });

beforeAll(async () => {
  stack = await startStack({
    env: {
      MCN_TIMEOUT_MS: "500",
      MCN_PROBE_MS: "600000",
      MCN_GUARD_PATIENT_PER_DAY: "1000",
      MCN_GUARD_UNCONFIRMED_PATIENTS: "100000",
    },
  });
  for (const e of examples) expect(seed(e.n, e.consultation, e.delivery, e.periods)).toEqual(e.coverage);
  stack.demo.simulator.faults.set({ all: { kind: "down" } });
  await stack.demo.simulator.settled();
});
afterAll(() => stack.stop());

describe.each(examples)("annex 11.1 example $n: coverage $coverage.start – $coverage.end", (e) => {
  it.each(e.reused.map((d) => [d]))("a delivery on %s reuses the commitment", async (date) => {
    const res = await consult(e.n, date);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      outcome: "reused-commitment",
      guarantee: "payment-commitment",
      commitment: {
        paymentApproval: approval(e.n),
        coverage: e.coverage,
        consultedOn: e.consultation,
        reusableUntil: e.coverage.end,
      },
      fallback: { path: [1, 2, 3, 4], question: null },
    });
    const found = await stack.request("GET", `/v1/commitments?niss=${nissOf(e.n)}&date=${date}`);
    expect(found.json.paymentApproval).toBe(approval(e.n));
  });

  it.each(e.refused.map((d) => [d]))(
    "a delivery on %s does not: the pharmacist is asked (node 5)",
    async (date) => {
      const res = await consult(e.n, date);
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({
        outcome: "needs-pharmacist",
        commitment: null,
        fallback: { path: [1, 2, 3, 4, 5], question: { node: 5, code: "TRUST_LAST_KNOWN" } },
      });
      const found = await stack.request("GET", `/v1/commitments?niss=${nissOf(e.n)}&date=${date}`);
      expect([found.status, found.json.code]).toEqual([404, "COMMITMENT_NOT_FOUND"]);
    },
  );
});

describe("several commitments cover the date", () => {
  it("the one obtained last is used (brochure §5.3)", async () => {
    // Example 1's patient comes back on 20/11/2011: a second commitment, 20/11 – 20/12.
    expect(seed(1, "2011-11-20", "2011-11-20", examples[0]!.periods, 1)).toEqual({
      start: "2011-11-20",
      end: "2011-12-20",
    });
    expect((await consult(1, "2011-11-25")).json.commitment.paymentApproval).toBe(approval(1, 1));
    // Before 20/11 only the first one may serve.
    expect((await consult(1, "2011-11-19")).json.commitment.paymentApproval).toBe(approval(1, 0));
    // After 12/12 only the second one covers.
    expect((await consult(1, "2011-12-15")).json.commitment.paymentApproval).toBe(approval(1, 1));
  });
});
