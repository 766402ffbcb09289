// The coverage period of a payment commitment, as the simulated insurers compute it from
// brochure §5.2 and annex 11.1 (not from src/commitment):
//   start = the date in the request (never after the consultation date);
//   end   = the end of the insurability period holding the start, followed through the periods
//           that continue it with the same status (same CT1/CT2, annex ex. 6), and at most
//           start + 30 calendar days.
// No period holds the start: no right at that date, hence no commitment (§5.2, last paragraph).
import { addDays, compareDays } from "./calendar.js";
import type { Day } from "./calendar.js";

/** One insurability period as an insurer states it; `end` null = open. */
export interface RightPeriod {
  begin: Day;
  end: Day | null;
  ct1: string;
  ct2: string;
}

export const COVERAGE_DAYS = 30;

export type CoverageVerdict =
  | { outcome: "covered"; start: Day; end: Day; period: RightPeriod; rightEnd: Day | null }
  | { outcome: "date-in-future" }
  | { outcome: "no-right" };

export function coveragePeriod(input: {
  periods: readonly RightPeriod[];
  requested: Day;
  consultation: Day;
}): CoverageVerdict {
  const { periods, requested, consultation } = input;
  if (compareDays(requested, consultation) > 0) return { outcome: "date-in-future" };
  const holding = periods.filter((p) => holds(p, requested));
  if (holding.length === 0) return { outcome: "no-right" };
  // Two periods holding the same date: the one that began last is the one in force.
  const period = holding.reduce((a, b) => (compareDays(b.begin, a.begin) > 0 ? b : a));
  const rightEnd = followSameStatus(period, periods);
  const limit = addDays(requested, COVERAGE_DAYS);
  const end = rightEnd === null || compareDays(rightEnd, limit) > 0 ? limit : rightEnd;
  return { outcome: "covered", start: requested, end, period, rightEnd };
}

// Annex ex. 6: a period ending on 31/12 and one with the same CT1-CT2 from 1/1 are one right.
function followSameStatus(first: RightPeriod, all: readonly RightPeriod[]): Day | null {
  let end = first.end;
  const seen = new Set<RightPeriod>([first]);
  while (end !== null) {
    const next = all.find(
      (p) => !seen.has(p) && p.ct1 === first.ct1 && p.ct2 === first.ct2 && p.begin === addDays(end as Day, 1),
    );
    if (next === undefined) break;
    seen.add(next);
    end = next.end;
  }
  return end;
}

function holds(p: RightPeriod, day: Day): boolean {
  return compareDays(p.begin, day) <= 0 && (p.end === null || compareDays(day, p.end) <= 0);
}

/**
 * A coverage end LONGER than §5.2 allows, for the `long-period` fault: "start-plus-60", or
 * "right-end" (the end of the right itself; an open right is given the end of its calendar
 * year, or of the next one when that is within the rule's 30 days).
 */
export function overlongEnd(start: Day, rightEnd: Day | null, period: "start-plus-60" | "right-end"): Day {
  if (period === "start-plus-60") return addDays(start, 2 * COVERAGE_DAYS);
  if (rightEnd !== null) return rightEnd;
  const year = Number(start.slice(0, 4));
  const yearEnd = `${year}-12-31`;
  return compareDays(yearEnd, addDays(start, COVERAGE_DAYS)) > 0 ? yearEnd : `${year + 1}-12-31`;
}
