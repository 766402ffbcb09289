import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CodedError } from "../errors.js";
import type { Store } from "./store.js";
import {
  fallbackRecord,
  ManualClock,
  onlineRecord,
  open,
  OTHER_PATIENT,
  sequentialIds,
  TempDir,
} from "./__fixtures__/store-fixture.js";

let dir: TempDir;
let store: Store;
let clock: ManualClock;
const daemon = { name: "daemon", role: "system" as const };
const pharmacist = { name: "pharmacist-anne", role: "pharmacist" as const };

beforeEach(() => {
  clock = new ManualClock("2011-11-21T08:00:00Z");
  dir = new TempDir();
  store = open(dir.file(), { now: () => clock.now(), newId: sequentialIds() });
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

/** A fallback delivery and the online consultation the recall made for it. */
function fallbackAndRecheck(): { recallId: string; onlineId: string } {
  const fallbackId = store.recordConsultation(fallbackRecord());
  const onlineId = store.recordConsultation(
    onlineRecord({
      deliveryDate: "2011-11-20",
      consultedAt: new Date("2011-11-21T08:00:00Z"),
      principal: "daemon",
      role: "system",
    }),
  );
  const recall = store.pendingRecalls().find((r) => r.consultationId === fallbackId);
  if (recall === undefined) throw new Error("no recall queued");
  return { recallId: recall.id, onlineId };
}

describe("recall queue (SPEC §1.4, brochure §9.3.5)", () => {
  it("lists pending recalls oldest first", () => {
    const a = store.recordConsultation(fallbackRecord({ consultedAt: new Date("2011-11-20T10:00:00Z") }));
    const b = store.recordConsultation(
      fallbackRecord({
        patientKey: OTHER_PATIENT,
        deliveryDate: "2011-11-19",
        consultedAt: new Date("2011-11-19T10:00:00Z"),
      }),
    );
    expect(store.pendingRecalls().map((r) => r.consultationId)).toEqual([b, a]);
  });

  it("queues a delivery once, however often it is asked", () => {
    const id = store.recordConsultation(fallbackRecord());
    const again = store.enqueueRecall(id, "2011-11-20", fallbackRecord().patientKey);
    expect(store.pendingRecalls()).toHaveLength(1);
    expect(again.id).toBe(store.pendingRecalls()[0]?.id);
  });

  it("counts the attempts while MyCareNet stays silent", () => {
    const { recallId } = fallbackAndRecheck();
    store.noteRecallAttempt(recallId);
    clock.advance(60_000);
    const r = store.noteRecallAttempt(recallId);
    expect(r).toMatchObject({ attempts: 2, lastAttemptAt: "2011-11-21T08:01:00.000Z", status: "pending" });
  });

  it("resolves with the differences, then lets a pharmacist close it", () => {
    const { recallId, onlineId } = fallbackAndRecheck();
    const resolved = store.resolveRecall(
      recallId,
      { status: "discrepancy", differences: ["entitlement", "insurer"], onlineConsultationId: onlineId },
      daemon,
    );
    expect(resolved).toMatchObject({
      status: "discrepancy",
      differences: ["entitlement", "insurer"],
      onlineConsultationId: onlineId,
      resolvedAt: "2011-11-21T08:00:00.000Z",
      attempts: 1,
      handled: null,
    });
    expect(store.pendingRecalls()).toEqual([]);
    expect(store.listRecalls({ status: "discrepancy", handled: false }).map((r) => r.id)).toEqual([recallId]);

    clock.advance(3_600_000);
    const handled = store.markRecallHandled(recallId, pharmacist);
    expect(handled.handled).toEqual({ at: "2011-11-21T09:00:00.000Z", by: "pharmacist-anne" });
    expect(store.listRecalls({ handled: false })).toEqual([]);
    expect(store.listRecalls({ handled: true }).map((r) => r.id)).toEqual([recallId]);
    expect(
      store
        .auditEntries()
        .map((e) => e.action)
        .slice(-2),
    ).toEqual(["recall.resolved", "recall.handled"]);
  });

  it("refuses the steps out of order with precise codes", () => {
    const { recallId, onlineId } = fallbackAndRecheck();
    expect(codeOf(() => store.markRecallHandled(recallId, pharmacist))).toBe("RECALL_NOT_RESOLVED");
    store.resolveRecall(
      recallId,
      { status: "confirmed", differences: [], onlineConsultationId: onlineId },
      daemon,
    );
    expect(
      codeOf(() =>
        store.resolveRecall(
          recallId,
          { status: "confirmed", differences: [], onlineConsultationId: onlineId },
          daemon,
        ),
      ),
    ).toBe("RECALL_ALREADY_RESOLVED");
    expect(codeOf(() => store.noteRecallAttempt(recallId))).toBe("RECALL_ALREADY_RESOLVED");
    store.markRecallHandled(recallId, pharmacist);
    expect(codeOf(() => store.markRecallHandled(recallId, pharmacist))).toBe("RECALL_ALREADY_HANDLED");
    expect(
      codeOf(() =>
        store.resolveRecall(
          "nope",
          { status: "confirmed", differences: [], onlineConsultationId: onlineId },
          daemon,
        ),
      ),
    ).toBe("RECALL_NOT_FOUND");
    expect(codeOf(() => store.noteRecallAttempt("nope"))).toBe("RECALL_NOT_FOUND");
    expect(store.getRecall("nope")).toBeUndefined();
  });

  it("refuses a resolution pointing at a consultation that does not exist", () => {
    const { recallId } = fallbackAndRecheck();
    expect(() =>
      store.resolveRecall(
        recallId,
        { status: "confirmed", differences: [], onlineConsultationId: "ghost" },
        daemon,
      ),
    ).toThrow(/FOREIGN KEY/);
    expect(store.getRecall(recallId)?.status).toBe("pending");
  });
});
