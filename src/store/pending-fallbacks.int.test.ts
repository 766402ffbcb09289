// The pharmacist console's queue (SPEC §1.4): fallback consultations still waiting for the
// pharmacist's answers, newest first, read through the partial index of migration V3.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import type { Store } from "./store.js";
import {
  fallbackRecord,
  ManualClock,
  onlineRecord,
  open,
  OTHER_PATIENT,
  TempDir,
} from "./__fixtures__/store-fixture.js";
import { documentFixture } from "../consultation/__fixtures__/document.js";

let dir: TempDir;
let store: Store;
const clock = new ManualClock("2011-11-20T10:05:00Z");
const pharmacist = { name: "pharmacist-anne", role: "pharmacist" as const };

beforeEach(() => {
  dir = new TempDir();
  store = open(dir.file(), { now: clock.now });
});
afterEach(() => {
  store.close();
  dir.remove();
});

const at = (iso: string) => new Date(iso);

describe("pendingFallbacks", () => {
  it("lists only needs-pharmacist consultations, newest first, and drops one once answered", () => {
    store.recordConsultation(onlineRecord());
    const older = store.recordConsultation(
      fallbackRecord({ reference: "F-1", consultedAt: at("2011-11-20T09:00:00Z") }),
    );
    const newer = store.recordConsultation(
      fallbackRecord({
        reference: "F-2",
        patientKey: OTHER_PATIENT,
        consultedAt: at("2011-11-20T09:30:00Z"),
      }),
    );
    store.recordConsultation(
      fallbackRecord({
        reference: "F-3",
        outcome: "model-704",
        guarantee: "none",
        consultedAt: at("2011-11-20T09:45:00Z"),
      }),
    );
    expect(store.pendingFallbacks().map((c) => c.reference)).toEqual(["F-2", "F-1"]);
    expect(store.pendingFallbacks(1).map((c) => c.id)).toEqual([newer]);

    store.recordFallbackAnswers({
      consultationId: newer,
      answers: [
        { node: 6, answer: false },
        { node: 7, answer: false },
      ],
      by: pharmacist,
      outcome: {
        outcome: "model-704",
        guarantee: "none",
        insured: false,
        answer: documentFixture({ outcome: "model-704" }),
        fallback: { reason: "NETWORK_UNREACHABLE", path: [1, 2, 3, 6, 7], question: null },
      },
    });
    const left = store.pendingFallbacks();
    expect(left.map((c) => c.id)).toEqual([older]);
    expect(left[0]).toMatchObject({ outcome: "needs-pharmacist", fallback: { question: { node: 5 } } });
  });

  it("is answered from the partial index, not a scan of every consultation", () => {
    store.recordConsultation(fallbackRecord());
    store.close();
    const db = new Database(dir.file(), { readonly: true });
    try {
      const plan = db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT * FROM consultations WHERE outcome = 'needs-pharmacist'
           ORDER BY consulted_at DESC, id DESC LIMIT 5`,
        )
        .all() as Array<{ detail: string }>;
      const details = plan.map((p) => p.detail).join(" | ");
      expect(details).toContain("consultations_needs_pharmacist");
      expect(details).not.toContain("TEMP B-TREE");
    } finally {
      db.close();
    }
    store = open(dir.file(), { now: clock.now });
  });
});
