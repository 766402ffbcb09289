// The pricing office (SPEC §1.6, brochure §8.2.2.7) through the HTTP API: refused for each wrong
// case before anything leaves, accepted for a real delivery rejected for an insurability error,
// and its answer leaves no trace but one audit entry (no consultation, commitment, known
// patient, recall or cache).
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, brusselsDay } from "../../src/commitment/index.js";
import { DEMO_PRICING_OFFICE_BCE } from "../../src/demo/tokens.js";
import { SCENARIO_NISS } from "../../src/simulator/index.js";
import { DATABASE_FILE, patientKeyOf } from "../../src/store/index.js";
import { startStack, type Stack } from "../support/stack.js";

let stack: Stack;
const today = brusselsDay(new Date());
const delivered = () => addDays(today, -3);

beforeAll(async () => {
  stack = await startStack();
  // The pharmacy's own consultation of that delivery (the dispensing software, days ago).
  const res = await stack.request("POST", "/v1/consultations", {
    body: { patient: { niss: SCENARIO_NISS.ordinary }, deliveryDate: delivered(), reference: "ticket-1" },
  });
  expect(res.status).toBe(201);
  // SPEC §1.6 (issue 16): the pricing office consults only under the titular pharmacist's mandate.
  const mandate = await stack.request("POST", "/v1/mandates", {
    token: stack.tokens.pharmacist,
    body: {
      mandatary: { kind: "company", id: DEMO_PRICING_OFFICE_BCE, name: "Office de tarification" },
      service: "insurability",
      validFrom: today,
      validUntil: addDays(today, 30),
      reference: "MAND-1",
    },
  });
  expect(mandate.status).toBe(201);
});
afterAll(() => stack.stop());

const ot = (body: object, headers?: Record<string, string>) =>
  stack.request("POST", "/v1/pricing-office/consultations", {
    token: stack.tokens.pricingOffice,
    body,
    ...(headers ? { headers } : {}),
  });

const request = (over: { rejection?: object; patient?: object; deliveryDate?: string } = {}) => ({
  rejection: { invoiceReference: "OT-2025-0042", reasonCode: "200820", rejectedOn: today, ...over.rejection },
  patient: over.patient ?? { niss: SCENARIO_NISS.ordinary },
  deliveryDate: over.deliveryDate ?? delivered(),
});

/** Rows of every table but the audit trail, read from the daemon's database file. */
function rowCounts(): Record<string, number> {
  const db = new Database(join(stack.config.dataDir, DATABASE_FILE), { readonly: true });
  try {
    const tables = db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'audit'",
      )
      .all()
      .map((t) => t.name);
    return Object.fromEntries(
      tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]),
    );
  } finally {
    db.close();
  }
}

describe("refused before anything leaves (PURPOSE_NOT_ALLOWED)", () => {
  it.each([
    [
      "a rejection reason that is not an insurability error",
      request({ rejection: { reasonCode: "100101" } }),
      "REASON_NOT_INSURABILITY",
    ],
    [
      "a patient the pharmacy never delivered to",
      request({ patient: { niss: SCENARIO_NISS.preferential } }),
      "NO_DELIVERY_ON_RECORD",
    ],
    [
      "a delivery date with no consultation on record",
      request({ deliveryDate: addDays(today, -4) }),
      "NO_DELIVERY_ON_RECORD",
    ],
    [
      "a rejection dated before the delivery",
      request({ rejection: { rejectedOn: addDays(today, -5) } }),
      "REJECTION_BEFORE_DELIVERY",
    ],
    [
      "a rejection dated tomorrow",
      request({ rejection: { rejectedOn: addDays(today, 1) } }),
      "REJECTION_IN_FUTURE",
    ],
  ])("%s", async (_name, body, reason) => {
    const calls = stack.demo.simulator.upstreamCalls();
    const before = stack.daemon.store.auditHead().seq;
    const res = await ot(body);
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ code: "PURPOSE_NOT_ALLOWED", reason });
    expect(typeof res.json.detail).toBe("string");
    expect(stack.demo.simulator.upstreamCalls()).toBe(calls);
    // The refusal itself is audited, under the patient's pseudonym.
    const [entry] = stack.daemon.store.auditEntries(before + 1);
    expect(entry).toMatchObject({
      action: "pricing-office.refused",
      role: "pricing-office",
      detail: { reason },
    });
  });

  it("explains the reason in the reader's language", async () => {
    const res = await ot(request({ rejection: { reasonCode: "100101" } }), { "accept-language": "nl" });
    expect(res.json.reason).toBe("REASON_NOT_INSURABILITY");
    expect(res.json.detail).toContain("verzekerbaarheid");
  });

  it("refuses a malformed reason code or an invoice reference holding the NISS as invalid requests", async () => {
    expect((await ot(request({ rejection: { reasonCode: "20082" } }))).json.code).toBe("REQUEST_INVALID");
    const withNiss = await ot(request({ rejection: { invoiceReference: `INV-${SCENARIO_NISS.ordinary}` } }));
    expect(withNiss.status).toBe(400);
    expect(withNiss.json.code).toBe("REQUEST_INVALID");
  });

  it("is the pricing office's only route, and only its", async () => {
    const token = stack.tokens.pricingOffice;
    const forbidden: Array<[string, string, object?]> = [
      ["POST", "/v1/consultations", { patient: { niss: SCENARIO_NISS.ordinary }, reference: "x" }],
      ["GET", "/v1/consultations/anything"],
      ["GET", `/v1/commitments?niss=${SCENARIO_NISS.ordinary}&date=${today}`],
      ["GET", `/v1/niss/${SCENARIO_NISS.ordinary}`],
      ["POST", "/v1/fallback/evaluate", { networkAvailable: true }],
      ["GET", "/v1/sessions"],
      ["GET", `/v1/reports/purpose?month=${today.slice(0, 7)}`],
      ["GET", "/v1/proportionality"],
      ["GET", "/v1/audit/verify"],
      ["POST", "/v1/maintenance/purge"],
    ];
    for (const [method, path, body] of forbidden) {
      const res = await stack.request(method, path, { token, ...(body ? { body } : {}) });
      expect([path, res.status, res.json.code]).toEqual([path, 403, "ROLE_FORBIDDEN"]);
    }
    const dispensing = await stack.request("POST", "/v1/pricing-office/consultations", { body: request() });
    expect(dispensing.json.code).toBe("ROLE_FORBIDDEN");
  });
});

describe("accepted for an insurability rejection of a real delivery", () => {
  it("answers online and keeps nothing but the audit entry", async () => {
    const patientKey = patientKeyOf({ niss: SCENARIO_NISS.ordinary });
    const store = stack.daemon.store;
    const rowsBefore = rowCounts();
    const knownBefore = store.knownPatient(patientKey);
    const commitmentsBefore = store.commitmentsFor(patientKey);
    const auditBefore = store.auditHead().seq;
    const calls = stack.demo.simulator.upstreamCalls();

    const res = await ot(request());
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      source: "online",
      insured: true,
      deliveryDate: delivered(),
      rejection: { invoiceReference: "OT-2025-0042", reasonCode: "200820", rejectedOn: today },
      entitlement: { ct1: "110", ct2: "110" },
      commitment: { coverage: { start: delivered() } },
    });
    expect(res.json.commitment.paymentApproval).toHaveLength(32);
    expect(stack.demo.simulator.upstreamCalls()).toBe(calls + 1);

    // No consultation, commitment, known-patient change, recall: every table but the audit is as before.
    expect(rowCounts()).toEqual(rowsBefore);
    expect(store.knownPatient(patientKey)).toEqual(knownBefore);
    expect(store.commitmentsFor(patientKey)).toEqual(commitmentsBefore);
    const entries = store.auditEntries(auditBefore + 1);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      seq: res.json.auditEntry,
      action: "pricing-office.consulted",
      actor: "pricing-office",
      role: "pricing-office",
      patient: store.patientPseudonym(patientKey),
      detail: {
        invoiceReference: "OT-2025-0042",
        reasonCode: "200820",
        deliveryDate: delivered(),
        insured: true,
      },
    });
    // The trail holds neither the NISS nor the answer's data.
    const stored = JSON.stringify(entries[0]);
    expect(stored).not.toContain(SCENARIO_NISS.ordinary);
    expect(stored).not.toContain(res.json.commitment.paymentApproval);
  });

  it("is never served from a cache and is allowed a limited number of times per rejection", async () => {
    const calls = stack.demo.simulator.upstreamCalls();
    expect((await ot(request())).status).toBe(200); // second use (MCN_PRICING_OFFICE_MAX_USES = 2)
    expect(stack.demo.simulator.upstreamCalls()).toBe(calls + 1);
    const third = await ot(request());
    expect(third.status).toBe(403);
    expect(third.json).toMatchObject({
      code: "PURPOSE_NOT_ALLOWED",
      reason: "REJECTION_USES_EXHAUSTED",
      uses: 2,
      limit: 2,
    });
    expect(stack.demo.simulator.upstreamCalls()).toBe(calls + 1);
    // Another rejection of the same delivery is a new rejection.
    expect(
      (await ot(request({ rejection: { invoiceReference: "OT-2025-0043", reasonCode: "202720" } }))).status,
    ).toBe(200);
  });

  it("is online only: when MyCareNet does not answer, a precise error and no fallback", async () => {
    const rowsBefore = rowCounts();
    stack.demo.simulator.faults.set({ all: { kind: "system-error", code: "SOA-02001" } });
    try {
      const res = await ot(request({ rejection: { invoiceReference: "OT-2025-0099" } }));
      expect(res.status).toBe(503);
      expect(res.json).toMatchObject({ code: "PRICING_OFFICE_UNAVAILABLE", outage: "system-error" });
      expect(res.json.fallback).toBeUndefined();
    } finally {
      stack.demo.simulator.faults.clear();
    }
    expect(rowCounts()).toEqual(rowsBefore);
    const [last] = stack.daemon.store.auditEntries(stack.daemon.store.auditHead().seq);
    expect(last).toMatchObject({ action: "pricing-office.unanswered", detail: { outage: "system-error" } });
    // An unanswered request is not a use: the rejection still has its uses.
    expect((await ot(request({ rejection: { invoiceReference: "OT-2025-0099" } }))).status).toBe(200);
  });

  it("counts in the metrics by result", async () => {
    const metrics = (await stack.request("GET", "/metrics", { token: null })).body as string;
    expect(metrics).toMatch(/mcn_pricing_office_consultations_total\{result="answered"\} 4/);
    expect(metrics).toMatch(/mcn_pricing_office_consultations_total\{result="unanswered"\} 1/);
  });
});
