import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CANDIDATES_SQL } from "./commitments.js";
import type { Store } from "./store.js";
import {
  commitment,
  niss,
  onlineRecord,
  open,
  OTHER_PATIENT,
  PATIENT,
  TempDir,
} from "./__fixtures__/store-fixture.js";
import type { PatientKey } from "../identifiers/patient-key.js";

let dir: TempDir;
let store: Store;
beforeEach(() => {
  dir = new TempDir();
  store = open(dir.file());
});
afterEach(() => {
  store.close();
  dir.remove();
});

/** One online consultation that obtained a commitment. */
function obtain(
  patientKey: PatientKey,
  consultedAt: string,
  deliveryDate: string,
  end: string,
  id?: string,
): string {
  return store.recordConsultation(
    onlineRecord({
      ...(id !== undefined ? { id } : {}),
      patientKey,
      consultedAt: new Date(consultedAt),
      deliveryDate,
      commitment: commitment({ coverage: { start: deliveryDate, end } }),
    }),
  );
}

describe("findCommitment (SPEC §1.3 reuse)", () => {
  it("follows the annex 11.1 examples", () => {
    const ex1 = obtain(PATIENT, "2011-11-12T09:00:00Z", "2011-11-12", "2011-12-12");
    expect(store.findCommitment(PATIENT, "2011-11-12")?.id).toBe(ex1);
    expect(store.findCommitment(PATIENT, "2011-12-12")?.id).toBe(ex1);
    expect(store.findCommitment(PATIENT, "2011-12-13")).toBeUndefined();
    // before the consultation day: a reuse is for a later delivery
    expect(store.findCommitment(PATIENT, "2011-11-11")).toBeUndefined();

    // ex. 4 and 5: the coverage ends before the consultation day, never reusable
    obtain(OTHER_PATIENT, "2011-11-12T09:00:00Z", "2011-10-26", "2011-10-30");
    obtain(OTHER_PATIENT, "2011-11-12T09:05:00Z", "2011-09-26", "2011-10-26");
    for (const day of ["2011-09-26", "2011-10-26", "2011-10-30", "2011-11-12"]) {
      expect(store.findCommitment(OTHER_PATIENT, day)).toBeUndefined();
    }
  });

  it("takes the commitment obtained last among those that cover the date", () => {
    const older = obtain(PATIENT, "2011-11-01T09:00:00Z", "2011-11-01", "2011-12-01");
    const newer = obtain(PATIENT, "2011-11-10T09:00:00Z", "2011-11-10", "2011-12-10");
    const shorter = obtain(PATIENT, "2011-11-05T09:00:00Z", "2011-11-05", "2011-11-20");
    expect(store.findCommitment(PATIENT, "2011-11-08")?.id).toBe(shorter);
    expect(store.findCommitment(PATIENT, "2011-11-15")?.id).toBe(newer);
    expect(store.findCommitment(PATIENT, "2011-12-05")?.id).toBe(newer);
    expect(store.findCommitment(PATIENT, "2011-11-03")?.id).toBe(older);
  });

  it("returns the right row among many patients and commitments", () => {
    const patients = Array.from({ length: 100 }, (_, i): PatientKey => `niss:${niss(String(800000000 + i))}`);
    let wanted = "";
    for (const [i, p] of patients.entries()) {
      for (let m = 1; m <= 5; m++) {
        const day = `2011-${String(m).padStart(2, "0")}-10`;
        const id = obtain(
          p,
          `${day}T0${m}:00:00Z`,
          day,
          `2011-${String(m).padStart(2, "0")}-25`,
          `c-${i}-${m}`,
        );
        if (i === 73 && m === 4) wanted = id;
      }
    }
    expect(store.findCommitment(patients[73]!, "2011-04-20")?.id).toBe(wanted);
    expect(store.findCommitment(patients[73]!, "2011-04-20")?.patientKey).toBe(patients[73]);
    expect(store.findCommitment(patients[73]!, "2011-04-26")).toBeUndefined();
  });

  it("looks candidates up through the clustered (patient_key, coverage_end) key, no scan, no sort", () => {
    const db = new Database(dir.file(), { readonly: true });
    const plan = db
      .prepare<[{ patientKey: string; day: string }], { detail: string }>(
        `EXPLAIN QUERY PLAN ${CANDIDATES_SQL}`,
      )
      .all({ patientKey: PATIENT, day: "2011-11-12" })
      .map((r) => r.detail);
    db.close();
    expect(plan).toEqual(["SEARCH commitments USING PRIMARY KEY (patient_key=? AND coverage_end>?)"]);
  });

  it("lists every commitment of a patient, oldest obtained first", () => {
    const b = obtain(PATIENT, "2011-11-10T09:00:00Z", "2011-11-10", "2011-12-10");
    const a = obtain(PATIENT, "2011-11-01T09:00:00Z", "2011-11-01", "2011-12-01");
    obtain(OTHER_PATIENT, "2011-11-05T09:00:00Z", "2011-11-05", "2011-12-05");
    expect(store.commitmentsFor(PATIENT).map((c) => c.id)).toEqual([a, b]);
  });

  it.each([
    ["a payment approval that is not 32 characters", { paymentApproval: "A".repeat(31) }],
    ["a seed that is not 10 characters", { paymentApprovalSeed: "S" }],
    ["an OT control code that is not 2 characters", { invoicingOfficeCheckDigit: "SRX" }],
    ["a CT1 that is not 3 digits", { ct1: "11" }],
    ["an unknown regime", { regime: "high" as never }],
    ["an end before the start", { coverage: { start: "2011-11-12", end: "2011-11-11" } }],
    ["an impossible day", { coverage: { start: "2011-11-12", end: "2011-11-31" } }],
  ])("refuses %s, and the whole consultation with it", (_what, over) => {
    expect(() => store.recordConsultation(onlineRecord({ id: "c-x", commitment: commitment(over) }))).toThrow(
      /CHECK constraint/,
    );
    expect(store.getConsultation("c-x")).toBeUndefined();
  });
});
