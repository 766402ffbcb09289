// The six examples of brochure annex 11.1 (SPEC §1.3), end to end: coverage, then reuse.
import { describe, expect, it } from "vitest";
import { coverageWindow } from "./coverage.js";
import type { InsurabilityPeriod } from "./coverage.js";
import { isReusableFor, neverReusable, reusableUntil } from "./reuse.js";
import type { StoredCommitment } from "./reuse.js";

const p110 = (begin: string, end: string): InsurabilityPeriod => ({ ct1: "110", ct2: "110", begin, end });

interface Example {
  n: number;
  consultation: string;
  delivery: string;
  periods: InsurabilityPeriod[];
  coverage: { start: string; end: string };
  /** "au plus tard le …", or null for "ne pourra jamais réutiliser". */
  until: string | null;
}

const examples: Example[] = [
  {
    n: 1,
    consultation: "2011-11-12",
    delivery: "2011-11-12",
    periods: [p110("2011-01-01", "2011-12-31")],
    coverage: { start: "2011-11-12", end: "2011-12-12" },
    until: "2011-12-12",
  },
  {
    n: 2,
    consultation: "2011-11-12",
    delivery: "2011-11-12",
    periods: [p110("2011-01-01", "2011-11-30")],
    coverage: { start: "2011-11-12", end: "2011-11-30" },
    until: "2011-11-30",
  },
  {
    n: 3,
    consultation: "2011-11-12",
    delivery: "2011-10-26",
    periods: [p110("2011-01-01", "2011-12-31")],
    coverage: { start: "2011-10-26", end: "2011-11-25" },
    until: "2011-11-25",
  },
  {
    n: 4,
    consultation: "2011-11-12",
    delivery: "2011-10-26",
    periods: [p110("2011-01-01", "2011-10-30")],
    coverage: { start: "2011-10-26", end: "2011-10-30" },
    until: null,
  },
  {
    n: 5,
    consultation: "2011-11-12",
    delivery: "2011-09-26",
    periods: [p110("2011-01-01", "2011-12-31")],
    coverage: { start: "2011-09-26", end: "2011-10-26" },
    until: null,
  },
  {
    n: 6,
    consultation: "2011-12-25",
    delivery: "2011-12-25",
    periods: [p110("2011-01-01", "2011-12-31"), p110("2012-01-01", "2012-12-31")],
    coverage: { start: "2011-12-25", end: "2012-01-24" },
    until: "2012-01-24",
  },
];

function stored(ex: Example): StoredCommitment {
  const r = coverageWindow({
    periods: ex.periods,
    deliveryDate: ex.delivery,
    consultationDate: ex.consultation,
  });
  if (!r.ok) throw new Error(`example ${ex.n}: ${r.code}`);
  return {
    id: `ex${ex.n}`,
    consultedOn: ex.consultation,
    coverage: r.value.coverage,
    obtainedAt: "2011-11-12T09:00:00Z",
  };
}

describe("annex 11.1", () => {
  it.each(examples)("example $n: coverage", (ex) => {
    const r = coverageWindow({
      periods: ex.periods,
      deliveryDate: ex.delivery,
      consultationDate: ex.consultation,
    });
    expect(r).toEqual({ ok: true, value: { coverage: ex.coverage, ct1: "110", ct2: "110" } });
  });

  it.each(examples)("example $n: reusable until the annex's date, or never", (ex) => {
    const c = stored(ex);
    expect(reusableUntil(c)).toBe(ex.until);
    expect(neverReusable(c)).toBe(ex.until === null);
  });

  it("examples 4 and 5 serve no delivery at all, not even inside their coverage", () => {
    for (const ex of examples.filter((e) => e.until === null)) {
      const c = stored(ex);
      for (const day of [ex.coverage.start, ex.coverage.end, ex.consultation, "2011-11-20"]) {
        expect(isReusableFor(c, day), `example ${ex.n} on ${day}`).toBe(false);
      }
    }
  });

  it("example 1 serves a delivery on 2011-11-20 and up to 2011-12-12, not on 2011-12-13", () => {
    const c = stored(examples[0]!);
    expect(isReusableFor(c, "2011-11-20")).toBe(true);
    expect(isReusableFor(c, "2011-11-12")).toBe(true); // consultation day itself
    expect(isReusableFor(c, "2011-12-12")).toBe(true); // end included
    expect(isReusableFor(c, "2011-12-13")).toBe(false);
  });

  it("example 3 serves later deliveries up to 2011-11-25, never one before the consultation", () => {
    const c = stored(examples[2]!);
    expect(isReusableFor(c, "2011-11-12")).toBe(true);
    expect(isReusableFor(c, "2011-11-25")).toBe(true);
    expect(isReusableFor(c, "2011-11-26")).toBe(false);
    // inside the coverage but before the consultation: reuse is for a later delivery only
    expect(isReusableFor(c, "2011-11-01")).toBe(false);
  });

  it("example 6 serves a delivery in the second, merged period", () => {
    const c = stored(examples[5]!);
    expect(isReusableFor(c, "2012-01-10")).toBe(true);
    expect(isReusableFor(c, "2012-01-25")).toBe(false);
  });
});
