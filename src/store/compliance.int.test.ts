import type { AuditAction } from "../audit-actions.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import type { Store } from "./store.js";
import {
  fallbackRecord,
  ManualClock,
  onlineRecord,
  open,
  OTHER_PATIENT,
  PATIENT,
  NEWBORN,
  TempDir,
} from "./__fixtures__/store-fixture.js";
import { openAuditReader } from "./audit-reader.js";
import { AUDIT_KEY } from "./__fixtures__/store-fixture.js";

let dir: TempDir;
let store: Store;
const clock = new ManualClock("2025-03-10T09:00:00Z");
const counter = { name: "counter-1", role: "dispensing" as const };
const pharmacist = { name: "pharmacist-anne", role: "pharmacist" as const };

beforeEach(() => {
  dir = new TempDir();
  store = open(dir.file(), { now: clock.now });
});
afterEach(() => {
  store.close();
  dir.remove();
});

function consult(id: string, patientKey: typeof PATIENT, at: string, deliveryDate = at.slice(0, 10)) {
  return store.recordConsultation(
    onlineRecord({
      id,
      reference: `ref-${id}`,
      patientKey,
      deliveryDate,
      consultedAt: new Date(at),
      commitment: undefined,
    }),
  );
}

describe("the guard's counts (SPEC §1.6)", () => {
  it("counts one patient's consultations per Brussels day", () => {
    consult("a", PATIENT, "2025-03-10T08:00:00Z");
    consult("b", PATIENT, "2025-03-10T22:30:00Z"); // 23:30 in Brussels: still the 10th
    consult("c", PATIENT, "2025-03-10T23:30:00Z"); // 00:30 on the 11th in Brussels
    consult("d", OTHER_PATIENT, "2025-03-10T09:00:00Z");
    expect(store.compliance.consultationsOn(PATIENT, "2025-03-10")).toBe(2);
    expect(store.compliance.consultationsOn(PATIENT, "2025-03-11")).toBe(1);
    expect(store.compliance.consultationsOn(NEWBORN, "2025-03-10")).toBe(0);
  });

  it("counts distinct patients without a confirmed delivery since the window's start", () => {
    consult("old", NEWBORN, "2025-03-10T07:00:00Z");
    consult("a1", PATIENT, "2025-03-10T08:30:00Z");
    consult("a2", PATIENT, "2025-03-10T08:40:00Z");
    consult("b1", OTHER_PATIENT, "2025-03-10T08:45:00Z");
    const since = new Date("2025-03-10T08:00:00Z");
    expect(store.compliance.unconfirmedPatientsSince(since, PATIENT)).toEqual({
      distinct: 2,
      includesPatient: true,
    });
    expect(store.compliance.unconfirmedPatientsSince(since, NEWBORN)).toEqual({
      distinct: 2,
      includesPatient: false,
    });
    store.confirmDelivery("b1", counter);
    expect(store.compliance.unconfirmedPatientsSince(since, OTHER_PATIENT)).toEqual({
      distinct: 1,
      includesPatient: false,
    });
  });

  it("records refusals as the day's alert, each one audited under the patient's pseudonym", () => {
    const base = {
      day: "2025-03-10",
      rule: "unconfirmed-patients" as const,
      count: 5,
      limit: 5,
      by: counter,
    };
    expect(
      store.compliance.recordRefusal({ ...base, patientKey: PATIENT, at: new Date("2025-03-10T09:00:00Z") }),
    ).toEqual({ opensAlert: true });
    expect(
      store.compliance.recordRefusal({
        ...base,
        patientKey: OTHER_PATIENT,
        at: new Date("2025-03-10T09:05:00Z"),
      }),
    ).toEqual({ opensAlert: false });
    expect(store.compliance.alertsBetween("2025-03-01", "2025-04-01")).toEqual([
      {
        day: "2025-03-10",
        rule: "unconfirmed-patients",
        firstAt: "2025-03-10T09:00:00.000Z",
        lastAt: "2025-03-10T09:05:00.000Z",
        refusals: 2,
        limit: 5,
      },
    ]);
    const refused = store.auditEntries().filter((e) => e.action === "proportionality.refused");
    expect(refused.map((e) => e.patient)).toEqual([
      store.patientPseudonym(PATIENT),
      store.patientPseudonym(OTHER_PATIENT),
    ]);
    expect(JSON.stringify(refused)).not.toContain(PATIENT.slice(5));
  });

  it("lifts a day once, audited once", () => {
    const first = store.compliance.lift(
      "2025-03-10",
      pharmacist,
      "importing a new patient file",
      new Date("2025-03-10T10:00:00Z"),
    );
    const again = store.compliance.lift("2025-03-10", pharmacist, "again", new Date("2025-03-10T11:00:00Z"));
    expect(first.created).toBe(true);
    expect(again).toEqual({ lift: first.lift, created: false });
    expect(store.compliance.liftsBetween("2025-03-10", "2025-03-11")).toEqual([first.lift]);
    expect(store.compliance.liftsBetween("2025-03-11", "2025-03-12")).toEqual([]);
    expect(store.auditEntries().filter((e) => e.action === "proportionality.lifted")).toHaveLength(1);
  });
});

describe("the pricing office's facts (brochure §8.2.2.7)", () => {
  it("knows whether a consultation or a fallback delivery is on record for a patient and date", () => {
    consult("a", PATIENT, "2025-03-05T09:00:00Z", "2025-03-04");
    store.recordConsultation(
      fallbackRecord({
        id: "f",
        patientKey: OTHER_PATIENT,
        deliveryDate: "2025-03-06",
        consultedAt: new Date("2025-03-06T10:00:00Z"),
        outcome: "model-704",
        fallback: { reason: "timeout", path: [1, 2, 3, 6, 7], question: null },
      }),
    );
    // A question still waiting for the pharmacist decided no delivery (issue 16: tightened).
    store.recordConsultation(
      fallbackRecord({
        id: "q",
        patientKey: OTHER_PATIENT,
        deliveryDate: "2025-03-07",
        consultedAt: new Date("2025-03-07T10:00:00Z"),
      }),
    );
    expect(store.compliance.hasDeliveryOnRecord(PATIENT, "2025-03-04")).toBe(true);
    expect(store.compliance.hasDeliveryOnRecord(PATIENT, "2025-03-05")).toBe(false);
    expect(store.compliance.hasDeliveryOnRecord(OTHER_PATIENT, "2025-03-06")).toBe(true);
    expect(store.compliance.hasDeliveryOnRecord(OTHER_PATIENT, "2025-03-07")).toBe(false);
  });

  it("counts the answered uses of one rejection from the audit trail", () => {
    // Counted by the normalised key (issue 16), not by the free text.
    const use = (
      patientKey: typeof PATIENT,
      rejectionKey: string,
      action: AuditAction = "pricing-office.consulted",
    ) =>
      store.appendAudit({
        actor: "ot",
        role: "pricing-office",
        action,
        patientKey,
        detail: {
          invoiceReference: rejectionKey.toLowerCase(),
          rejectionKey,
          deliveryDate: "2025-03-04",
          reasonCode: "200820",
        },
      });
    use(PATIENT, "INV-1");
    use(PATIENT, "INV-1");
    use(PATIENT, "INV-2");
    use(OTHER_PATIENT, "INV-1");
    use(PATIENT, "INV-1", "pricing-office.refused");
    expect(store.compliance.pricingOfficeUses(PATIENT, "INV-1", "2025-03-04")).toBe(2);
    expect(store.compliance.pricingOfficeUses(PATIENT, "INV-1", "2025-03-05")).toBe(0);
    expect(store.compliance.pricingOfficeUses(OTHER_PATIENT, "INV-1", "2025-03-04")).toBe(1);
  });

  it("reads audit entries of some actions in a time range", () => {
    store.appendAudit({
      actor: "ot",
      role: "pricing-office",
      action: "pricing-office.refused",
      at: new Date("2025-02-28T22:59:59Z"),
    });
    store.appendAudit({
      actor: "ot",
      role: "pricing-office",
      action: "pricing-office.refused",
      at: new Date("2025-02-28T23:00:00Z"),
    });
    store.appendAudit({
      actor: "x",
      role: "dispensing",
      action: "consultation.rejected",
      at: new Date("2025-03-02T09:00:00Z"),
    });
    const from = new Date("2025-02-28T23:00:00Z");
    const until = new Date("2025-03-31T22:00:00Z");
    expect(store.compliance.auditBetween(["pricing-office.refused"], from, until).map((e) => e.at)).toEqual([
      "2025-02-28T23:00:00.000Z",
    ]);
    expect(store.compliance.auditBetween([], from, until)).toEqual([]);
    expect(store.compliance.countAuditBetween("consultation.rejected", from, until)).toBe(1);
  });
});

describe("openAuditReader (mcn-rights audit verify)", () => {
  it("verifies read-only beside a writer, and finds a row edited behind the daemon's back", () => {
    consult("a", PATIENT, "2025-03-05T09:00:00Z");
    store.appendAudit({ actor: "admin", role: "admin", action: "session.opened" });
    const reader = openAuditReader(dir.file(), AUDIT_KEY);
    try {
      const ok = reader.verify();
      expect(ok).toEqual({ ok: true, entries: store.auditHead().seq });
      expect(reader.head()).toEqual(store.auditHead());
      const raw = new Database(dir.file());
      raw.exec("DROP TRIGGER audit_append_only_update");
      raw.prepare("UPDATE audit SET actor = 'someone-else' WHERE seq = 1").run();
      raw.close();
      expect(reader.verify()).toEqual({ ok: false, firstBadSeq: 1, problem: "altered" });
    } finally {
      reader.close();
    }
  });

  it("refuses a short key", () => {
    expect(() => openAuditReader(dir.file(), Buffer.alloc(8))).toThrow(RangeError);
  });
});
