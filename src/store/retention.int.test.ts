import { existsSync, readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "./store.js";
import {
  commitment,
  fallbackRecord,
  ManualClock,
  onlineRecord,
  open,
  OTHER_PATIENT,
  PATIENT,
  TempDir,
} from "./__fixtures__/store-fixture.js";
import { documentFixture } from "../consultation/__fixtures__/document.js";

let dir: TempDir;
let store: Store;
const clock = new ManualClock("2012-06-01T02:00:00Z");
beforeEach(() => {
  dir = new TempDir();
  store = open(dir.file(), { now: clock.now });
});
afterEach(() => {
  store.close();
  dir.remove();
});

const pharmacist = { name: "pharmacist-anne", role: "pharmacist" as const };

function online(id: string, patientKey: typeof PATIENT, day: string): string {
  return store.recordConsultation(
    onlineRecord({
      id,
      patientKey,
      deliveryDate: day,
      consultedAt: new Date(`${day}T10:00:00Z`),
      commitment: commitment({ coverage: { start: day, end: day } }),
    }),
  );
}

describe("purge (SPEC §1.3 retention)", () => {
  it("removes exactly what was consulted before the day, with what hangs on it, and keeps the audit", () => {
    online("old-1", PATIENT, "2011-12-30");
    online("old-2", OTHER_PATIENT, "2011-12-31");
    const oldFallback = store.recordConsultation(
      fallbackRecord({
        id: "old-f",
        deliveryDate: "2011-12-31",
        consultedAt: new Date("2011-12-31T15:00:00Z"),
      }),
    );
    store.recordFallbackAnswers({
      consultationId: oldFallback,
      answers: [{ node: 5, answer: true }],
      by: pharmacist,
      outcome: {
        outcome: "last-known",
        guarantee: "basic-principle",
        answer: documentFixture(),
        fallback: { reason: "TIMEOUT", path: [1, 2, 3, 4, 5], question: null },
      },
    });
    online("new-1", PATIENT, "2012-01-01");
    // a fallback delivery after the cut-off that reused a commitment from before it
    store.recordConsultation(
      fallbackRecord({
        id: "new-f",
        patientKey: OTHER_PATIENT,
        deliveryDate: "2012-01-02",
        consultedAt: new Date("2012-01-02T10:00:00Z"),
        outcome: "reused-commitment",
        guarantee: "payment-commitment",
        reusedCommitmentId: "old-2",
        fallback: { reason: "TIMEOUT", path: [1, 2, 3, 4], question: null },
      }),
    );
    const entriesBefore = store.verifyAudit();
    expect(entriesBefore).toEqual({ ok: true, entries: 6 });

    const counts = store.purge({ before: "2012-01-01" });
    expect(counts).toEqual({
      consultations: 3,
      commitments: 2,
      fallbackAnswers: 1,
      recalls: 1,
      knownPatients: 1,
    });

    for (const id of ["old-1", "old-2", "old-f"]) expect(store.getConsultation(id)).toBeUndefined();
    expect(store.fallbackAnswers("old-f")).toEqual([]);
    expect(store.getConsultation("new-1")).toBeDefined();
    expect(store.getConsultation("new-f")?.reusedCommitmentId).toBeNull();
    expect(store.commitmentsFor(PATIENT).map((c) => c.id)).toEqual(["new-1"]);
    expect(store.commitmentsFor(OTHER_PATIENT)).toEqual([]);
    expect(store.knownPatient(PATIENT)?.lastConsultationId).toBe("new-1");
    expect(store.knownPatient(OTHER_PATIENT)).toBeUndefined();
    expect(store.pendingRecalls().map((r) => r.consultationId)).toEqual(["new-f"]);

    // the audit entries stay, the chain still verifies, and the purge itself is audited
    expect(store.verifyAudit()).toEqual({ ok: true, entries: 7 });
    expect(store.auditEntries().at(-1)).toMatchObject({
      actor: "daemon",
      role: "system",
      action: "retention.purged",
      patient: null,
      detail: { before: "2012-01-01", consultations: 3, commitments: 2 },
    });
  });

  it("purges nothing the second time, and nothing on an empty store", () => {
    online("old-1", PATIENT, "2011-12-30");
    expect(store.purge({ before: "2012-01-01" }).consultations).toBe(1);
    expect(store.purge({ before: "2012-01-01" })).toEqual({
      consultations: 0,
      commitments: 0,
      fallbackAnswers: 0,
      recalls: 0,
      knownPatients: 0,
    });
  });

  it("leaves no purged NISS readable in the file or its write-ahead log", () => {
    online("old-1", PATIENT, "2011-12-30");
    store.purge({ before: "2012-01-01" });
    const niss = Buffer.from(PATIENT.slice("niss:".length));
    for (const suffix of ["", "-wal"]) {
      const file = `${dir.file()}${suffix}`;
      if (existsSync(file)) expect(readFileSync(file).includes(niss)).toBe(false);
    }
  });

  it("refuses a cut-off that is not a day", () => {
    expect(() => store.purge({ before: "2012-13-01" })).toThrow(RangeError);
  });
});
