import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideProportionality, DEFAULT_PROPORTIONALITY_LIMITS, windowStart } from "./proportionality.js";

const limits = { patientPerDay: 3, unconfirmedPatients: 5, windowMinutes: 60 };
const counts = (over: Partial<Parameters<typeof decideProportionality>[0]> = {}) => ({
  patientToday: 0,
  unconfirmedPatients: 0,
  patientAmongUnconfirmed: false,
  ...over,
});

describe("decideProportionality (SPEC §1.6)", () => {
  it("allows what stays under both thresholds", () => {
    expect(decideProportionality(counts({ patientToday: 2, unconfirmedPatients: 4 }), limits, false)).toEqual(
      {
        allowed: true,
      },
    );
  });

  it("refuses the consultation that would pass the per-patient daily limit", () => {
    expect(decideProportionality(counts({ patientToday: 3 }), limits, false)).toEqual({
      allowed: false,
      rule: "patient-per-day",
      count: 3,
      limit: 3,
    });
  });

  it("refuses a new patient once the window holds the limit of unconfirmed patients", () => {
    expect(decideProportionality(counts({ unconfirmedPatients: 5 }), limits, false)).toEqual({
      allowed: false,
      rule: "unconfirmed-patients",
      count: 5,
      limit: 5,
    });
  });

  it("lets a patient already among the unconfirmed ones be asked again (no new patient)", () => {
    expect(
      decideProportionality(counts({ unconfirmedPatients: 5, patientAmongUnconfirmed: true }), limits, false),
    ).toEqual({ allowed: true });
  });

  it("checks the per-patient rule first", () => {
    const d = decideProportionality(counts({ patientToday: 9, unconfirmedPatients: 9 }), limits, false);
    expect(d).toMatchObject({ allowed: false, rule: "patient-per-day" });
  });

  it("allows everything on a day the pharmacist lifted the block", () => {
    expect(
      decideProportionality(counts({ patientToday: 99, unconfirmedPatients: 99 }), limits, true),
    ).toEqual({
      allowed: true,
    });
  });

  it("never refuses below both thresholds, always refuses at the per-patient one", () => {
    fc.assert(
      fc.property(fc.nat(50), fc.nat(50), fc.boolean(), (patientToday, unconfirmed, among) => {
        const d = decideProportionality(
          counts({ patientToday, unconfirmedPatients: unconfirmed, patientAmongUnconfirmed: among }),
          limits,
          false,
        );
        if (patientToday < limits.patientPerDay && unconfirmed < limits.unconfirmedPatients)
          expect(d.allowed).toBe(true);
        if (patientToday >= limits.patientPerDay) expect(d.allowed).toBe(false);
      }),
    );
  });

  it("has documented, positive defaults", () => {
    expect(DEFAULT_PROPORTIONALITY_LIMITS).toEqual({
      patientPerDay: 10,
      unconfirmedPatients: 30,
      windowMinutes: 60,
    });
  });

  it("windowStart goes back windowMinutes", () => {
    expect(windowStart(new Date("2025-03-01T10:00:00Z"), limits).toISOString()).toBe(
      "2025-03-01T09:00:00.000Z",
    );
  });
});
