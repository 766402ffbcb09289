import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, compareDays, daysBetween } from "./calendar.js";
import { coverageWindow, MAX_COVERAGE_DAYS, reliedWindow } from "./coverage.js";
import type { InsurabilityPeriod } from "./coverage.js";

const period = (ct: string, begin: string, end: string | null, mutuality?: string): InsurabilityPeriod => {
  const [ct1 = "", ct2 = ""] = ct.split("-");
  return mutuality === undefined ? { ct1, ct2, begin, end } : { ct1, ct2, begin, end, mutuality };
};

/** Coverage end for a delivery consulted the same day, or the failure code. */
function endFor(periods: InsurabilityPeriod[], delivery: string, consultation = delivery): string {
  const r = coverageWindow({ periods, deliveryDate: delivery, consultationDate: consultation });
  if (!r.ok) return r.code;
  expect(r.value.coverage.start).toBe(delivery);
  return r.value.coverage.end;
}

describe("coverageWindow: the 30-day cap over month ends and leap days", () => {
  it.each([
    ["2011-01-31", "2011-03-02"],
    ["2012-01-31", "2012-03-01"],
    ["2012-01-30", "2012-02-29"],
    ["2011-01-30", "2011-03-01"],
    ["2012-02-29", "2012-03-30"],
    ["2011-02-28", "2011-03-30"],
    ["2011-12-15", "2012-01-14"],
  ])("delivery %s under an open-ended right → %s", (delivery, end) => {
    expect(endFor([period("110-110", "2000-01-01", null)], delivery)).toBe(end);
  });

  it("stops at the end of a period that ends on 29 February", () => {
    expect(endFor([period("110-110", "2012-01-01", "2012-02-29")], "2012-02-15")).toBe("2012-02-29");
  });

  it("stops at 31 December when the right ends with the year", () => {
    expect(endFor([period("110-110", "2011-01-01", "2011-12-31")], "2011-12-15")).toBe("2011-12-31");
  });
});

describe("coverageWindow: merging periods", () => {
  it("merges consecutive periods of the same status across the year change (annex ex. 6)", () => {
    const periods = [
      period("110-110", "2011-01-01", "2011-12-31"),
      period("110-110", "2012-01-01", "2012-12-31"),
    ];
    expect(endFor(periods, "2011-12-25")).toBe("2012-01-24");
  });

  it("accepts periods out of order", () => {
    const periods = [
      period("110-110", "2012-01-01", "2012-12-31"),
      period("130-130", "2010-01-01", "2010-12-31"),
      period("110-110", "2011-01-01", "2011-12-31"),
    ];
    expect(endFor(periods, "2011-12-25")).toBe("2012-01-24");
    expect(endFor([...periods].reverse(), "2011-12-25")).toBe("2012-01-24");
  });

  it("merges a chain of short periods and still caps at start + 30", () => {
    const periods = [
      period("110-110", "2011-11-01", "2011-11-15"),
      period("110-110", "2011-11-16", "2011-11-25"),
      period("110-110", "2011-11-26", "2011-12-05"),
      period("110-110", "2011-12-06", null),
    ];
    expect(endFor(periods, "2011-11-10")).toBe("2011-12-10");
    expect(endFor(periods.slice(0, 3), "2011-11-10")).toBe("2011-12-05");
  });

  it("merges into an open-ended period", () => {
    const periods = [period("110-110", "2011-01-01", "2011-12-31"), period("110-110", "2012-01-01", null)];
    expect(endFor(periods, "2011-12-25")).toBe("2012-01-24");
  });

  it("does not merge over a gap of one day, and a delivery on that day has no right", () => {
    const periods = [
      period("110-110", "2011-01-01", "2011-11-30"),
      period("110-110", "2011-12-02", "2011-12-31"),
    ];
    expect(endFor(periods, "2011-11-20")).toBe("2011-11-30");
    expect(endFor(periods, "2011-12-01")).toBe("NO_RIGHT_AT_DATE");
    expect(endFor(periods, "2011-12-02")).toBe("2011-12-31");
  });

  it("does not merge over a longer gap, and a delivery in the gap has no right", () => {
    const periods = [period("110-110", "2011-01-01", "2011-06-30"), period("110-110", "2011-09-01", null)];
    expect(endFor(periods, "2011-06-20")).toBe("2011-06-30");
    expect(endFor(periods, "2011-08-15")).toBe("NO_RIGHT_AT_DATE");
  });

  it("ends the day before a status change inside the window, and reports the start's status", () => {
    const periods = [
      period("110-110", "2011-01-01", "2011-11-30"),
      period("130-130", "2011-12-01", "2011-12-31"),
    ];
    const r = coverageWindow({ periods, deliveryDate: "2011-11-20", consultationDate: "2011-11-20" });
    expect(r).toEqual({
      ok: true,
      value: { coverage: { start: "2011-11-20", end: "2011-11-30" }, ct1: "110", ct2: "110" },
    });
    const later = coverageWindow({ periods, deliveryDate: "2011-12-05", consultationDate: "2011-12-05" });
    expect(later.ok && later.value.ct1).toBe("130");
  });

  it("treats a change of CT2 alone as a change of status", () => {
    const periods = [period("110-110", "2011-01-01", "2011-11-30"), period("110-111", "2011-12-01", null)];
    expect(endFor(periods, "2011-11-20")).toBe("2011-11-30");
  });

  it("does not merge across a change of mutuality (a transfer is another insurability)", () => {
    const periods = [
      period("110-110", "2011-01-01", "2011-11-30", "306"),
      period("110-110", "2011-12-01", "2012-12-31", "319"),
    ];
    const r = coverageWindow({ periods, deliveryDate: "2011-11-20", consultationDate: "2011-11-20" });
    expect(r).toEqual({
      ok: true,
      value: {
        coverage: { start: "2011-11-20", end: "2011-11-30" },
        ct1: "110",
        ct2: "110",
        mutuality: "306",
      },
    });
    const same = [
      period("110-110", "2011-01-01", "2011-11-30", "306"),
      period("110-110", "2011-12-01", null, "306"),
    ];
    expect(endFor(same, "2011-11-20")).toBe("2011-12-20");
  });

  it("ends the day before a different status that overlaps the window", () => {
    // Insurers should not send overlaps; if they do, the later-beginning period is in force.
    const periods = [period("110-110", "2011-01-01", "2011-12-31"), period("131-131", "2011-12-01", null)];
    expect(endFor(periods, "2011-11-20")).toBe("2011-11-30");
    const r = coverageWindow({ periods, deliveryDate: "2011-12-10", consultationDate: "2011-12-10" });
    expect(r.ok && r.value.ct1).toBe("131");
  });

  it("keeps the start's status when a nested period of the same status overlaps it", () => {
    const periods = [
      period("110-110", "2011-11-01", "2011-11-15"),
      period("110-110", "2011-01-01", "2011-12-31"),
    ];
    expect(endFor(periods, "2011-11-12")).toBe("2011-12-12");
  });

  it("merges duplicate and same-begin periods of the same status, in any order", () => {
    const dated = period("110-110", "2011-01-01", "2011-11-30");
    const open = period("110-110", "2011-01-01", null);
    const shorter = period("110-110", "2011-01-01", "2011-11-25");
    for (const periods of [
      [dated, open],
      [open, dated],
      [dated, shorter, dated],
      [shorter, dated, shorter],
    ]) {
      const expected = periods.includes(open) ? "2011-12-20" : "2011-11-30";
      expect(endFor(periods, "2011-11-20")).toBe(expected);
    }
  });

  it("ignores a malformed period whose end precedes its begin", () => {
    const periods = [
      period("110-110", "2011-01-01", "2011-11-30"),
      period("110-110", "2011-12-31", "2011-12-01"),
    ];
    expect(endFor(periods, "2011-11-20")).toBe("2011-11-30");
    expect(endFor(periods, "2011-12-10")).toBe("NO_RIGHT_AT_DATE");
  });
});

describe("coverageWindow: end of rights and refusals", () => {
  it("ends with the rights inside the window", () => {
    expect(endFor([period("110-110", "2011-01-01", "2011-11-25")], "2011-11-20")).toBe("2011-11-25");
  });

  it("covers a single day when the right ends on the delivery date", () => {
    expect(endFor([period("110-110", "2011-01-01", "2011-11-20")], "2011-11-20")).toBe("2011-11-20");
  });

  it("covers from a right that begins on the delivery date", () => {
    expect(endFor([period("110-110", "2011-11-20", null)], "2011-11-20")).toBe("2011-12-20");
  });

  it("accepts equal delivery and consultation dates", () => {
    const r = coverageWindow({
      periods: [period("110-110", "2011-01-01", null)],
      deliveryDate: "2011-11-12",
      consultationDate: "2011-11-12",
    });
    expect(r.ok).toBe(true);
  });

  it("refuses a delivery date after the consultation date, even with rights", () => {
    const periods = [period("110-110", "2011-01-01", null)];
    expect(endFor(periods, "2011-11-13", "2011-11-12")).toBe("DATE_IN_FUTURE");
  });

  it("refuses when no period contains the delivery date", () => {
    const periods = [period("110-110", "2011-06-01", "2011-12-31")];
    expect(endFor([], "2011-11-12")).toBe("NO_RIGHT_AT_DATE");
    expect(endFor(periods, "2011-05-31")).toBe("NO_RIGHT_AT_DATE");
    expect(endFor(periods, "2012-01-01")).toBe("NO_RIGHT_AT_DATE");
  });
});

// Property: against a day-by-day reference over generated, non-overlapping periods.
const statuses = [
  { ct1: "110", ct2: "110", mutuality: "306" },
  { ct1: "110", ct2: "110", mutuality: "319" },
  { ct1: "131", ct2: "131", mutuality: "306" },
] as const;

const segment = fc.record({
  gap: fc.integer({ min: 0, max: 3 }),
  length: fc.integer({ min: 1, max: 45 }),
  status: fc.integer({ min: 0, max: statuses.length - 1 }),
});

const scenario = fc.record({
  origin: fc.integer({ min: 0, max: 3000 }),
  segments: fc.array(segment, { minLength: 1, maxLength: 6 }),
  openEnded: fc.boolean(),
  deliveryOffset: fc.integer({ min: -5, max: 200 }),
  consultationLag: fc.integer({ min: 0, max: 60 }),
  order: fc.array(fc.nat(), { maxLength: 6 }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

function build(s: Scenario): InsurabilityPeriod[] {
  const periods: InsurabilityPeriod[] = [];
  let next = addDays("2004-01-01", s.origin);
  s.segments.forEach((seg, i) => {
    const begin = addDays(next, seg.gap);
    const last = i === s.segments.length - 1;
    const end = last && s.openEnded ? null : addDays(begin, seg.length - 1);
    periods.push({ ...statuses[seg.status]!, begin, end });
    next = end === null ? begin : addDays(end, 1);
  });
  // shuffle deterministically from the generated order
  for (let i = periods.length - 1; i > 0; i--) {
    const j = (s.order[i] ?? 0) % (i + 1);
    [periods[i], periods[j]] = [periods[j]!, periods[i]!];
  }
  return periods;
}

const holds = (p: InsurabilityPeriod, day: string) =>
  compareDays(p.begin, day) <= 0 && (p.end === null || compareDays(day, p.end) <= 0);

describe("coverageWindow: properties", () => {
  it("matches a day-by-day reference and stays inside 30 days and the merged period", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const periods = build(s);
        const start = addDays("2004-01-01", s.origin + s.deliveryOffset);
        const consultation = addDays(start, s.consultationLag);
        const r = coverageWindow({ periods, deliveryDate: start, consultationDate: consultation });
        const current = periods.find((p) => holds(p, start));
        if (current === undefined) {
          expect(r).toEqual({ ok: false, code: "NO_RIGHT_AT_DATE" });
          return;
        }
        if (!r.ok) throw new Error(r.code);
        const { coverage } = r.value;
        expect(coverage.start).toBe(start);
        expect(compareDays(coverage.start, coverage.end)).toBeLessThanOrEqual(0);
        expect(daysBetween(coverage.start, coverage.end)).toBeLessThanOrEqual(MAX_COVERAGE_DAYS);
        expect(r.value.ct1).toBe(current.ct1);
        expect(r.value.mutuality).toBe(current.mutuality);
        // reference: walk day by day while the start's status stays in force
        const same = (day: string) =>
          periods.some(
            (p) =>
              holds(p, day) &&
              p.ct1 === current.ct1 &&
              p.ct2 === current.ct2 &&
              p.mutuality === current.mutuality,
          );
        let end = start;
        while (daysBetween(start, end) < MAX_COVERAGE_DAYS && same(addDays(end, 1))) end = addDays(end, 1);
        expect(coverage.end).toBe(end);
        // never beyond the containing period unless a same-status period continues it
        if (current.end !== null && compareDays(coverage.end, current.end) > 0) {
          expect(same(addDays(current.end, 1))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("refuses every delivery after its consultation day", () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 400 }), (s, ahead) => {
        const start = addDays("2004-01-01", s.origin + s.deliveryOffset);
        const r = coverageWindow({
          periods: build(s),
          deliveryDate: start,
          consultationDate: addDays(start, -ahead),
        });
        expect(r).toEqual({ ok: false, code: "DATE_IN_FUTURE" });
      }),
      { numRuns: 100 },
    );
  });
});

describe("reliedWindow (brochure §5.2)", () => {
  it("keeps the rule's window when MyCareNet sends a longer period", () => {
    expect(reliedWindow({ start: "2026-01-10", end: "2026-03-11" }, "2026-01-10", "2026-01-10")).toEqual({
      start: "2026-01-10",
      end: "2026-02-09",
    });
  });

  it("never ends after MyCareNet's period, and starts at the delivery date", () => {
    expect(reliedWindow({ start: "2026-01-01", end: "2026-01-20" }, "2026-01-05", "2026-01-06")).toEqual({
      start: "2026-01-05",
      end: "2026-01-20",
    });
  });

  it("relies on nothing when the period does not contain the delivery date", () => {
    expect(reliedWindow({ start: "2026-01-10", end: "2026-02-09" }, "2026-01-09", "2026-01-10")).toBeNull();
  });
});
