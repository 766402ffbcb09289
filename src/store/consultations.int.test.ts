import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CodedError } from "../errors.js";
import type { Store } from "./store.js";
import {
  commitment,
  committedRows,
  fallbackRecord,
  ManualClock,
  NEWBORN,
  onlineRecord,
  open,
  OTHER_PATIENT,
  PATIENT,
  sequentialIds,
  TempDir,
} from "./__fixtures__/store-fixture.js";
import { documentFixture, ENTITLEMENT_110 } from "../consultation/__fixtures__/document.js";

let dir: TempDir;
let store: Store;
const clock = new ManualClock("2011-11-30T12:00:00Z");
beforeEach(() => {
  dir = new TempDir();
  store = open(dir.file(), { now: clock.now, newId: sequentialIds() });
});
afterEach(() => {
  store.close();
  dir.remove();
});

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    if (err instanceof CodedError) return err.code;
    throw err;
  }
  return undefined;
};

describe("recordConsultation", () => {
  it("stores the consultation, its commitment, the known patient and the audit entry", () => {
    const id = store.recordConsultation(
      onlineRecord({ upstreamXml: "<x/>", upstreamReference: "12345678901234" }),
    );
    expect(id).toBe("id-000001");
    const stored = store.getConsultation(id);
    expect(stored).toMatchObject({
      id,
      reference: "REF-1",
      patientKey: PATIENT,
      deliveryDate: "2011-11-12",
      consultedAt: "2011-11-12T09:30:00.000Z",
      consultedOn: "2011-11-12",
      principal: "counter-1",
      role: "dispensing",
      sessionUser: "12345678001",
      upstreamReference: "12345678901234",
      outcome: "online",
      guarantee: "payment-commitment",
      insured: true,
      answer: documentFixture({ outcome: "online", entitlement: ENTITLEMENT_110 }),
      upstreamXml: "<x/>",
      warnings: [],
      fallback: null,
      reusedCommitmentId: null,
      delivery: null,
    });
    expect(store.commitmentsFor(PATIENT)).toEqual([
      {
        id,
        consultationId: id,
        patientKey: PATIENT,
        consultedOn: "2011-11-12",
        coverage: { start: "2011-11-12", end: "2011-12-12" },
        sentCoverage: { start: "2011-11-12", end: "2011-12-12" },
        obtainedAt: "2011-11-12T09:30:00.000Z",
        paymentApproval: "A".repeat(32),
        paymentApprovalSeed: "S".repeat(10),
        invoicingOfficeCheckDigit: "SR",
        ct1: "110",
        ct2: "110",
        mutuality: "120",
        regime: "standard",
      },
    ]);
    expect(store.knownPatient(PATIENT)).toEqual({
      patientKey: PATIENT,
      lastConsultationId: id,
      lastConsultedAt: "2011-11-12T09:30:00.000Z",
      lastConsultedOn: "2011-11-12",
      lastDeliveryDate: "2011-11-12",
      insured: true,
      ct1: "110",
      ct2: "110",
      mutuality: "120",
      registrationNumber: null,
      regime: "standard",
    });
    const [entry] = store.auditEntries();
    expect(entry).toMatchObject({
      seq: 1,
      actor: "counter-1",
      role: "dispensing",
      action: "consultation.recorded",
      patient: store.patientPseudonym(PATIENT),
      detail: { consultation: id, deliveryDate: "2011-11-12", outcome: "online", commitment: true },
    });
    expect(store.pendingRecalls()).toEqual([]);
  });

  it("files the consultation under the Europe/Brussels day, not the UTC one", () => {
    const id = store.recordConsultation(
      onlineRecord({
        deliveryDate: "2011-11-13",
        consultedAt: new Date("2011-11-12T23:30:00Z"),
        commitment: undefined,
      }),
    );
    expect(store.getConsultation(id)?.consultedOn).toBe("2011-11-13");
  });

  it("keeps a patient known by mutuality and registration number, the number verbatim", () => {
    const id = store.recordConsultation(
      onlineRecord({
        patientKey: NEWBORN,
        commitment: undefined,
        knownPatient: { insured: true, mutuality: "120", registrationNumber: "000113 044M86" },
      }),
    );
    expect(store.getConsultation(id)?.patientKey).toBe("reg:120:000113 044M86");
    expect(store.knownPatient(NEWBORN)?.registrationNumber).toBe("000113 044M86");
  });

  it("records a business answer (not insured) without a commitment", () => {
    const id = store.recordConsultation(
      onlineRecord({
        insured: false,
        guarantee: "none",
        commitment: undefined,
        knownPatient: { insured: false },
      }),
    );
    expect(store.getConsultation(id)?.insured).toBe(false);
    expect(store.commitmentsFor(PATIENT)).toEqual([]);
    expect(store.knownPatient(PATIENT)?.insured).toBe(false);
  });

  it("queues a fallback delivery for recall in the same transaction", () => {
    const id = store.recordConsultation(fallbackRecord());
    expect(store.getConsultation(id)?.fallback).toEqual({
      reason: "NETWORK_UNREACHABLE",
      path: [1, 2, 3, 4, 5],
      question: { node: 5, code: "trustLastKnown" },
    });
    expect(store.pendingRecalls()).toMatchObject([
      { consultationId: id, patientKey: PATIENT, deliveryDate: "2011-11-20", status: "pending", attempts: 0 },
    ]);
    expect(store.knownPatient(PATIENT)).toBeUndefined();
  });

  it("links a reused commitment to the consultation that obtained it", () => {
    const first = store.recordConsultation(onlineRecord());
    const reuse = store.recordConsultation(
      fallbackRecord({
        outcome: "reused-commitment",
        guarantee: "payment-commitment",
        reusedCommitmentId: first,
        fallback: { reason: "TIMEOUT", path: [1, 2, 3, 4], question: null },
      }),
    );
    expect(store.getConsultation(reuse)?.reusedCommitmentId).toBe(first);
    expect(store.auditEntries()[1]?.detail).toMatchObject({
      reusedCommitment: first,
      fallbackReason: "TIMEOUT",
    });
  });

  it("lets a late, older answer leave the newer known-patient data alone", () => {
    store.recordConsultation(
      onlineRecord({ consultedAt: new Date("2011-11-20T10:00:00Z"), deliveryDate: "2011-11-20" }),
    );
    store.recordConsultation(
      onlineRecord({
        consultedAt: new Date("2011-11-12T10:00:00Z"),
        knownPatient: { insured: true, ct1: "111", ct2: "111" },
      }),
    );
    expect(store.knownPatient(PATIENT)).toMatchObject({ lastDeliveryDate: "2011-11-20", ct1: "110" });
    store.recordConsultation(
      onlineRecord({
        consultedAt: new Date("2011-11-25T10:00:00Z"),
        deliveryDate: "2011-11-25",
        knownPatient: { insured: true, ct1: "131", ct2: "131", regime: "elevated" },
      }),
    );
    expect(store.knownPatient(PATIENT)).toMatchObject({
      lastDeliveryDate: "2011-11-25",
      ct1: "131",
      regime: "elevated",
    });
  });

  it("changes nothing when it fails in the middle (bad commitment after the consultation row)", () => {
    const file = dir.file();
    const before = store.auditHead();
    expect(() =>
      store.recordConsultation(
        onlineRecord({ id: "c-bad", commitment: commitment({ paymentApproval: "too short" }) }),
      ),
    ).toThrow(/CHECK constraint/);
    expect(store.getConsultation("c-bad")).toBeUndefined();
    for (const table of ["consultations", "commitments", "known_patients", "recalls", "audit"]) {
      expect(committedRows(file, table)).toBe(0);
    }
    expect(store.auditHead()).toEqual(before);
  });

  it("changes nothing when the audit entry, the last step, is refused", () => {
    const file = dir.file();
    // A fallback record whose reason carries the NISS: the audit refuses it after the
    // consultation, commitment-less row and recall were written.
    expect(() =>
      store.recordConsultation(
        fallbackRecord({
          id: "c-leak",
          fallback: { reason: `down for ${PATIENT}`, path: [1, 2], question: null },
        }),
      ),
    ).toThrow(TypeError);
    for (const table of ["consultations", "recalls", "audit"]) expect(committedRows(file, table)).toBe(0);
  });

  it("refuses a consultation id used twice, keeping the first", () => {
    store.recordConsultation(onlineRecord({ id: "c-1" }));
    expect(() => store.recordConsultation(onlineRecord({ id: "c-1", reference: "other" }))).toThrow(/UNIQUE/);
    expect(store.getConsultation("c-1")?.reference).toBe("REF-1");
    expect(store.commitmentsFor(PATIENT)).toHaveLength(1);
    expect(store.verifyAudit()).toEqual({ ok: true, entries: 1 });
  });

  it.each([
    ["a malformed patient key", { patientKey: "niss:123" as never }],
    ["an impossible delivery date", { deliveryDate: "2011-02-30" }],
    ["an invalid instant", { consultedAt: new Date(Number.NaN) }],
    ["an online answer with a fallback state", { fallback: { reason: "x", path: [1], question: null } }],
    ["a reused commitment on an online answer", { reusedCommitmentId: "c-0" }],
    ["no answer", { answer: undefined }],
    ["a pricing-office answer (SPEC §1.6: audit trail only)", { role: "pricing-office" as const }],
  ])("refuses %s before writing anything", (_what, over) => {
    expect(() => store.recordConsultation(onlineRecord(over))).toThrow(RangeError);
    expect(committedRows(dir.file(), "consultations")).toBe(0);
  });

  it("refuses a commitment or known-patient data on a fallback outcome", () => {
    expect(() => store.recordConsultation(fallbackRecord({ commitment: commitment() }))).toThrow(RangeError);
    expect(() => store.recordConsultation(fallbackRecord({ knownPatient: { insured: true } }))).toThrow(
      RangeError,
    );
  });

  it("refuses, in the table itself, a delivery date after the consultation day (DATE_IN_FUTURE)", () => {
    expect(() =>
      store.recordConsultation(onlineRecord({ deliveryDate: "2011-11-13", commitment: undefined })),
    ).toThrow(/CHECK constraint/);
  });
});

describe("restart", () => {
  it("finds every recorded consultation and commitment after close and reopen", () => {
    const file = dir.file();
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const day = `2011-11-${String(1 + (i % 28)).padStart(2, "0")}`;
      ids.push(
        store.recordConsultation(
          onlineRecord({
            patientKey: i % 2 === 0 ? PATIENT : OTHER_PATIENT,
            reference: `REF-${i}`,
            deliveryDate: day,
            consultedAt: new Date(`${day}T10:00:00Z`),
            commitment: commitment({ coverage: { start: day, end: "2011-12-31" } }),
          }),
        ),
      );
    }
    store.close();
    store = open(file, { now: clock.now });
    for (const [i, id] of ids.entries()) expect(store.getConsultation(id)?.reference).toBe(`REF-${i}`);
    expect(store.commitmentsFor(PATIENT)).toHaveLength(25);
    expect(store.commitmentsFor(OTHER_PATIENT)).toHaveLength(25);
    expect(store.verifyAudit()).toEqual({ ok: true, entries: 50 });
  });

  it("has a committed consultation on disk before close: another connection reads it from the WAL", () => {
    const file = dir.file();
    store.recordConsultation(onlineRecord({ id: "c-kept" }));
    const reader = new Database(file, { readonly: true });
    expect(reader.prepare("SELECT id FROM consultations").all()).toEqual([{ id: "c-kept" }]);
    reader.close();
  });
});

describe("confirmDelivery", () => {
  const counter = { name: "counter-2", role: "dispensing" as const };

  it("confirms once, audits once, and refuses the second time", () => {
    const id = store.recordConsultation(onlineRecord());
    const confirmed = store.confirmDelivery(id, counter);
    expect(confirmed.delivery).toEqual({ at: "2011-11-30T12:00:00.000Z", by: "counter-2", on: "2011-11-30" });
    expect(codeOf(() => store.confirmDelivery(id, counter, new Date("2011-12-01T00:00:00Z")))).toBe(
      "DELIVERY_ALREADY_CONFIRMED",
    );
    expect(store.getConsultation(id)?.delivery?.at).toBe("2011-11-30T12:00:00.000Z");
    expect(store.auditEntries().map((e) => e.action)).toEqual([
      "consultation.recorded",
      "delivery.confirmed",
    ]);
  });

  it("says CONSULTATION_NOT_FOUND for an unknown id", () => {
    expect(codeOf(() => store.confirmDelivery("nope", counter))).toBe("CONSULTATION_NOT_FOUND");
    expect(store.auditEntries()).toEqual([]);
  });
});

describe("listConsultationsForMonth", () => {
  it("lists the consultations made in the month, by Brussels day, with their delivery", () => {
    const at = (iso: string, ref: string): string =>
      store.recordConsultation(
        onlineRecord({
          reference: ref,
          deliveryDate: "2011-10-31",
          consultedAt: new Date(iso),
          commitment: undefined,
        }),
      );
    at("2011-10-31T22:30:00Z", "october"); // 23:30 on 31 October in Brussels (CET)
    const nov = at("2011-10-31T23:30:00Z", "brussels-november"); // 00:30 on 1 November in Brussels
    at("2011-11-30T22:59:59Z", "last-of-november");
    at("2011-11-30T23:00:00Z", "december");
    store.confirmDelivery(nov, { name: "counter-1", role: "dispensing" });
    const november = store.listConsultationsForMonth("2011-11");
    expect(november.map((c) => c.reference)).toEqual(["brussels-november", "last-of-november"]);
    expect(november[0]?.delivery?.by).toBe("counter-1");
    expect(november[1]?.delivery).toBeNull();
    expect(store.listConsultationsForMonth("2011-12").map((c) => c.reference)).toEqual(["december"]);
    expect(() => store.listConsultationsForMonth("2011-13")).toThrow(RangeError);
  });
});
