import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock, onlineRecord, open, PATIENT, TempDir } from "../store/__fixtures__/store-fixture.js";
import type { Store } from "../store/store.js";
import { ProportionalityGuard } from "./proportionality-guard.js";
import { RetentionPurger, type PurgeRun } from "./retention.js";

let dir: TempDir;
let store: Store;
let clock: ManualClock;
beforeEach(() => {
  clock = new ManualClock("2026-03-15T08:00:00Z");
  dir = new TempDir();
  store = open(dir.file(), { now: clock.now });
});
afterEach(() => {
  store.close();
  dir.remove();
});

describe("the daily retention purge (SPEC §1.3)", () => {
  it("runs once per Brussels day, across restarts, and purges before the cut-off", () => {
    store.recordConsultation(
      onlineRecord({
        id: "old",
        consultedAt: new Date("2024-02-29T10:00:00Z"),
        deliveryDate: "2024-02-29",
        commitment: undefined,
      }),
    );
    store.recordConsultation(
      onlineRecord({
        id: "kept",
        consultedAt: new Date("2024-03-01T10:00:00Z"),
        deliveryDate: "2024-03-01",
        commitment: undefined,
      }),
    );
    const runs: PurgeRun[] = [];
    const purger = () =>
      new RetentionPurger({ store, months: 24, clock: clock.now, onPurge: (r) => runs.push(r) });
    expect(purger().runDaily()).toMatchObject({ before: "2024-03-01", purged: { consultations: 1 } });
    expect(purger().runDaily()).toBeUndefined(); // a restart the same day
    clock.advance(24 * 3_600_000);
    expect(purger().runDaily()).toMatchObject({ before: "2024-03-01", purged: { consultations: 0 } });
    expect(runs).toHaveLength(2);
    expect(store.getConsultation("kept")).toBeDefined();
    expect(store.getConsultation("old")).toBeUndefined();
  });

  it("start() runs today's purge at once and reports a failure instead of throwing", () => {
    const errors: unknown[] = [];
    store.close();
    const purger = new RetentionPurger({
      store,
      months: 24,
      clock: clock.now,
      onError: (e) => errors.push(e),
    });
    purger.start();
    purger.stop();
    expect(errors).toHaveLength(1);
    store = open(dir.file(), { now: clock.now });
  });
});

describe("the proportionality guard over a real store (SPEC §1.6)", () => {
  it("refuses past the daily limit, then lets everything through once lifted", () => {
    const guard = new ProportionalityGuard({
      store: store.compliance,
      limits: { patientPerDay: 2, unconfirmedPatients: 100, windowMinutes: 60 },
      clock: clock.now,
    });
    const actor = { name: "counter-1", role: "dispensing" as const };
    for (const id of ["a", "b"]) {
      guard.check({ patientKey: PATIENT, actor });
      store.recordConsultation(
        onlineRecord({ id, consultedAt: clock.now(), deliveryDate: "2026-03-15", commitment: undefined }),
      );
    }
    expect(() => guard.check({ patientKey: PATIENT, actor })).toThrow(
      expect.objectContaining({ code: "PROPORTIONALITY_LIMIT" }),
    );
    expect(guard.status()).toMatchObject({
      state: "alert",
      day: "2026-03-15",
      alerts: [{ rule: "patient-per-day", refusals: 1 }],
    });
    guard.lift({ name: "pharmacist", role: "pharmacist" }, "family of five");
    expect(() => guard.check({ patientKey: PATIENT, actor })).not.toThrow();
    expect(guard.status().state).toBe("lifted");
    // The next day starts afresh.
    clock.advance(24 * 3_600_000);
    expect(guard.status()).toMatchObject({ state: "ok", alerts: [], lift: null });
  });
});
