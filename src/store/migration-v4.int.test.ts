// Migration V4 on a database written before it: the commitments get the rule's window (brochure
// §5.2) from the delivery date they were consulted for, and version 1 documents are read back
// upgraded.
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MIGRATIONS } from "./migrations.js";
import { open, PATIENT, TempDir } from "./__fixtures__/store-fixture.js";

let dir: TempDir;
beforeEach(() => {
  dir = new TempDir();
});
afterEach(() => dir.remove());

function writeVersion3(file: string): void {
  const db = new Database(file);
  MIGRATIONS.slice(0, 3).forEach((step, i) => {
    db.exec(step);
    db.pragma(`user_version = ${i + 1}`);
  });
  const commitment = {
    paymentApproval: "A".repeat(32),
    paymentApprovalSeed: "S".repeat(10),
    invoicingOfficeCheckDigit: "SR",
    // MyCareNet sent 60 days; the rule allows 30 from the delivery date (2026-01-12).
    coverage: { start: "2026-01-10", end: "2026-03-11" },
    consultedOn: "2026-01-12",
    reusableUntil: "2026-03-11",
  };
  const answer = {
    id: "c-v1",
    reference: "R1",
    source: "online",
    outcome: "online",
    guarantee: "payment-commitment",
    insured: true,
    patient: {},
    deliveryDate: "2026-01-12",
    consultedAt: "2026-01-12T10:00:00.000Z",
    entitlement: null,
    commitment,
    returnCode: null,
    reason: null,
    fallback: null,
    session: null,
    delivery: null,
    warnings: [{ code: "COVERAGE_MISMATCH" }],
  };
  db.prepare(
    `INSERT INTO consultations (id, reference, patient_key, delivery_date, consulted_at, consulted_on,
       principal, role, outcome, guarantee, insured, answer_json, warnings_json, delivered_at, delivered_by)
     VALUES ('c-v1', 'R1', ?, '2026-01-12', '2026-01-12T10:00:00.000Z', '2026-01-12', 'counter-1',
       'dispensing', 'online', 'payment-commitment', 1, ?, '[]', '2026-01-12T11:00:00.000Z', 'counter-1')`,
  ).run(PATIENT, JSON.stringify(answer));
  db.prepare(
    `INSERT INTO commitments (consultation_id, patient_key, payment_approval, payment_approval_seed,
       invoicing_office_check_digit, coverage_start, coverage_end, consulted_on, obtained_at, ct1, ct2)
     VALUES ('c-v1', ?, ?, ?, 'SR', '2026-01-10', '2026-03-11', '2026-01-12', '2026-01-12T10:00:00.000Z',
       '110', '110')`,
  ).run(PATIENT, "A".repeat(32), "S".repeat(10));
  db.close();
}

describe("migration V4", () => {
  it("backfills the rule's window and upgrades the stored document on read", () => {
    const file = dir.file();
    writeVersion3(file);
    const store = open(file);
    try {
      expect(store.findCommitment(PATIENT, "2026-02-11")?.consultationId).toBe("c-v1");
      // Inside MyCareNet's period, past the rule's window: nothing serves.
      expect(store.findCommitment(PATIENT, "2026-02-12")).toBeUndefined();
      expect(store.findCommitment(PATIENT, "2026-03-01")).toBeUndefined();
      const row = store.getConsultation("c-v1");
      expect(row?.answer.commitment).toMatchObject({
        coverage: { start: "2026-01-10", end: "2026-03-11" },
        window: { start: "2026-01-12", end: "2026-02-11" },
        reusableUntil: "2026-02-11",
      });
      expect(row?.answer.recall).toBeNull();
      // A confirmation made before V4 stands for its own day.
      expect(row?.answer.delivery).toEqual({
        confirmedAt: "2026-01-12T11:00:00.000Z",
        deliveredOn: "2026-01-12",
      });
      expect(row?.delivery).toEqual({ at: "2026-01-12T11:00:00.000Z", by: "counter-1", on: null });
    } finally {
      store.close();
    }
  });
});
