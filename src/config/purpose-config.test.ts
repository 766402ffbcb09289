import { describe, expect, it } from "vitest";
import { DEFAULT_INSURABILITY_REJECTION_CODES } from "../purpose/index.js";
import { dataDirOf, loadConfig } from "./index.js";

const load = (env: Record<string, string>) => loadConfig(env, "/srv/pharmacy");

describe("purpose and proportionality settings (SPEC §1.3, §1.6)", () => {
  it("has documented defaults", () => {
    const r = load({});
    if (!r.ok) throw new Error(r.problems.join("\n"));
    expect(r.config.proportionality).toEqual({
      patientPerDay: 10,
      unconfirmedPatients: 30,
      windowMinutes: 60,
    });
    expect(r.config.pricingOffice).toEqual({ reasons: DEFAULT_INSURABILITY_REJECTION_CODES, maxUses: 2 });
    expect(r.config.retentionMonths).toBe(24);
  });

  it("reads each setting", () => {
    const r = load({
      MCN_GUARD_PATIENT_PER_DAY: "4",
      MCN_GUARD_UNCONFIRMED_PATIENTS: "12",
      MCN_GUARD_WINDOW_MINUTES: "30",
      MCN_PRICING_OFFICE_REASONS: " 200820, 202720,200820 ",
      MCN_PRICING_OFFICE_MAX_USES: "1",
      MCN_RETENTION_MONTHS: "36",
    });
    if (!r.ok) throw new Error(r.problems.join("\n"));
    expect(r.config.proportionality).toEqual({
      patientPerDay: 4,
      unconfirmedPatients: 12,
      windowMinutes: 30,
    });
    expect(r.config.pricingOffice).toEqual({ reasons: ["200820", "202720"], maxUses: 1 });
    expect(r.config.retentionMonths).toBe(36);
  });

  it("reports every bad one on its own line, naming it", () => {
    const r = load({
      MCN_GUARD_PATIENT_PER_DAY: "0",
      MCN_GUARD_UNCONFIRMED_PATIENTS: "many",
      MCN_GUARD_WINDOW_MINUTES: "2000",
      MCN_PRICING_OFFICE_REASONS: "200820,20082,ABCDEF",
      MCN_PRICING_OFFICE_MAX_USES: "-1",
      MCN_RETENTION_MONTHS: "0",
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    for (const name of [
      "MCN_GUARD_PATIENT_PER_DAY",
      "MCN_GUARD_UNCONFIRMED_PATIENTS",
      "MCN_GUARD_WINDOW_MINUTES",
      "MCN_PRICING_OFFICE_REASONS",
      "MCN_PRICING_OFFICE_MAX_USES",
      "MCN_RETENTION_MONTHS",
    ]) {
      expect(
        r.problems.filter((p) => p.startsWith(`${name}:`)),
        name,
      ).toHaveLength(1);
    }
    expect(r.problems.find((p) => p.startsWith("MCN_PRICING_OFFICE_REASONS:"))).toContain(
      '"20082", "ABCDEF"',
    );
  });

  it("refuses an empty list of reason codes", () => {
    const r = load({ MCN_PRICING_OFFICE_REASONS: " , " });
    expect(r.ok).toBe(false);
  });

  it("gives the data directory alone for the command line", () => {
    expect(dataDirOf({}, "/srv/pharmacy")).toBe("/srv/pharmacy/data");
    expect(dataDirOf({ MCN_DATA_DIR: "var/mcn" }, "/srv/pharmacy")).toBe("/srv/pharmacy/var/mcn");
    expect(dataDirOf({ MCN_DATA_DIR: "/data/mcn" }, "/srv/pharmacy")).toBe("/data/mcn");
  });
});
