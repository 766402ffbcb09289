// The proportionality guard (SPEC §1.6, brochure §7.2) at its default limits over a temporary
// store: what it refuses, what the refusal leaves in the store (alert, audit), the day's lift.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_PROPORTIONALITY_LIMITS } from "../purpose/index.js";
import { CodedError } from "../errors.js";
import type { PatientKey } from "../identifiers/patient-key.js";
import { niss, onlineRecord } from "../store/__fixtures__/store-fixture.js";
import { ProportionalityGuard, type GuardEvents } from "./proportionality-guard.js";
import { COUNTER, PHARMACIST, world, type World } from "./__fixtures__/world.js";

const LIMITS = DEFAULT_PROPORTIONALITY_LIMITS;
const PATIENT: PatientKey = `niss:${niss("750615123")}`;
const patient = (i: number): PatientKey => `niss:${niss(String(700000000 + i))}`;

let w: World;
let guard: ProportionalityGuard;
let refused: Array<Parameters<GuardEvents["refused"]>[0]>;
let lifted: number;

/** A consultation stored now, as the consultation service would before the next question. */
function consulted(patientKey: PatientKey, n = 1): void {
  for (let i = 0; i < n; i++) {
    const at = w.clock.now();
    w.store.recordConsultation(
      onlineRecord({
        reference: `R-${patientKey}-${i}`,
        patientKey,
        deliveryDate: "2025-03-10",
        consultedAt: at,
        commitment: undefined,
      }),
    );
  }
}

function refusal(p: PatientKey): { code: string; detail: unknown } {
  try {
    guard.check({ patientKey: p, actor: COUNTER });
  } catch (err) {
    if (err instanceof CodedError) return { code: err.code, detail: err.detail };
    throw err;
  }
  throw new Error("expected PROPORTIONALITY_LIMIT");
}

beforeEach(() => {
  w = world("2025-03-10T09:30:00Z");
  refused = [];
  lifted = 0;
  guard = new ProportionalityGuard({
    store: w.store.compliance,
    limits: LIMITS,
    clock: w.clock.now,
    events: { refused: (r) => refused.push(r), lifted: () => lifted++ },
  });
});
afterEach(() => w.close());

const auditOf = (action: string) => w.store.auditEntries().filter((e) => e.action === action);

describe("ProportionalityGuard.check", () => {
  it("lets a counter's ordinary questions through and records nothing", () => {
    consulted(PATIENT, LIMITS.patientPerDay - 1);
    expect(() => guard.check({ patientKey: PATIENT, actor: COUNTER })).not.toThrow();
    expect(guard.status()).toMatchObject({ state: "ok", alerts: [], lift: null, day: "2025-03-10" });
    expect(auditOf("proportionality.refused")).toEqual([]);
  });

  it("refuses the patient's question past the daily limit, opens the day's alert once, audits every refusal", () => {
    consulted(PATIENT, LIMITS.patientPerDay);
    expect(refusal(PATIENT)).toEqual({
      code: "PROPORTIONALITY_LIMIT",
      detail: { rule: "patient-per-day", limit: LIMITS.patientPerDay },
    });
    refusal(PATIENT);
    expect(refused.map((r) => r.opensAlert)).toEqual([true, false]);
    const status = guard.status();
    expect(status.state).toBe("alert");
    expect(status.alerts).toEqual([expect.objectContaining({ rule: "patient-per-day", refusals: 2 })]);
    const audit = auditOf("proportionality.refused");
    expect(audit).toHaveLength(2);
    expect(audit[0]).toMatchObject({ actor: COUNTER.name, role: "dispensing" });
    expect(audit[0]?.patient).not.toBeNull();
    expect(JSON.stringify(audit)).not.toContain(PATIENT.slice(5));
    // Another patient is not concerned by this rule.
    expect(() => guard.check({ patientKey: patient(1), actor: COUNTER })).not.toThrow();
  });

  it("counts the day in Brussels: after midnight there the count starts again", () => {
    consulted(PATIENT, LIMITS.patientPerDay);
    // 23:30Z on 10 March is 00:30 on 11 March in Brussels (UTC+1).
    w.clock.advance(14 * 3600_000);
    expect(() => guard.check({ patientKey: PATIENT, actor: COUNTER })).not.toThrow();
    expect(guard.status().day).toBe("2025-03-11");
  });

  it("refuses a new patient when too many are unconfirmed in the window, not one of them", () => {
    for (let i = 0; i < LIMITS.unconfirmedPatients; i++) consulted(patient(i));
    expect(refusal(patient(999))).toEqual({
      code: "PROPORTIONALITY_LIMIT",
      detail: {
        rule: "unconfirmed-patients",
        limit: LIMITS.unconfirmedPatients,
        windowMinutes: LIMITS.windowMinutes,
      },
    });
    expect(() => guard.check({ patientKey: patient(0), actor: COUNTER })).not.toThrow();
    // Once the window has slid past them, a new patient is welcome again.
    w.clock.advance(LIMITS.windowMinutes * 60_000 + 1);
    expect(() => guard.check({ patientKey: patient(999), actor: COUNTER })).not.toThrow();
  });
});

describe("ProportionalityGuard.lift", () => {
  it("lifts the block for the rest of the Brussels day, once, audited", () => {
    consulted(PATIENT, LIMITS.patientPerDay);
    refusal(PATIENT);
    const first = guard.lift(PHARMACIST, "inventaire");
    expect(first).toMatchObject({ created: true, lift: { day: "2025-03-10", liftedBy: PHARMACIST.name } });
    expect(guard.lift(PHARMACIST, "again")).toMatchObject({ created: false, lift: { reason: "inventaire" } });
    expect(lifted).toBe(1);
    expect(() => guard.check({ patientKey: PATIENT, actor: COUNTER })).not.toThrow();
    expect(guard.status().state).toBe("lifted");
    expect(auditOf("proportionality.lifted")).toEqual([
      expect.objectContaining({
        actor: PHARMACIST.name,
        detail: { day: "2025-03-10", reason: "inventaire" },
      }),
    ]);
    // The next day the lift is over; the patient's count starts again, so only the rule is back.
    w.clock.advance(24 * 3600_000);
    consulted(PATIENT, LIMITS.patientPerDay);
    expect(refusal(PATIENT).code).toBe("PROPORTIONALITY_LIMIT");
  });
});
