// The coverage window of a payment commitment (SPEC §1.3; brochure §5.2 and annex 11.1).
import { fail, ok } from "../result.js";
import type { Result } from "../result.js";
import { addDays, compareDays } from "./calendar.js";
import type { Day } from "./calendar.js";

/** One insurability period as the insurer states it. `end: null` = open-ended. */
export interface InsurabilityPeriod {
  ct1: string;
  ct2: string;
  begin: Day;
  end: Day | null;
  mutuality?: string;
}

/** First and last covered day, both included. */
export interface Coverage {
  start: Day;
  end: Day;
}

export type CoverageCode = "DATE_IN_FUTURE" | "NO_RIGHT_AT_DATE";

export interface CoverageWindow {
  coverage: Coverage;
  ct1: string;
  ct2: string;
  mutuality?: string;
}

/** brochure §5.2: the window is at most "date de début de couverture + 30 jours". */
export const MAX_COVERAGE_DAYS = 30;

// brochure §5.2 and annex 11.1 ex. 6: periods merge when the social status is the same, i.e.
// the same CT1-CT2. A change of mutuality is a transfer to another insurer, which answers for a
// different insurability, so it breaks the merge as well (an unknown mutuality matches only an
// unknown one).
function sameStatus(a: InsurabilityPeriod, b: InsurabilityPeriod): boolean {
  return a.ct1 === b.ct1 && a.ct2 === b.ct2 && a.mutuality === b.mutuality;
}

function contains(p: InsurabilityPeriod, day: Day): boolean {
  return compareDays(p.begin, day) <= 0 && (p.end === null || compareDays(day, p.end) <= 0);
}

function byBegin(a: InsurabilityPeriod, b: InsurabilityPeriod): number {
  const begin = compareDays(a.begin, b.begin);
  if (begin !== 0) return begin;
  if (a.end === b.end) return 0;
  if (a.end === null) return 1;
  if (b.end === null) return -1;
  return compareDays(a.end, b.end);
}

// The insurers do not send overlapping periods; should they, the one that begins last says
// which status is in force on that day (the most recent statement wins).
function inForce(sorted: readonly InsurabilityPeriod[], day: Day): InsurabilityPeriod | undefined {
  return sorted.findLast((p) => contains(p, day));
}

/**
 * SPEC §1.3: start = delivery date (never after the consultation date); end = end of the
 * insurability period containing the start, consecutive periods of the same status merged,
 * capped at start + 30 days. A status change or a loss of rights inside the window ends the
 * coverage the day before. Days are assumed valid `YYYY-MM-DD` (the adapters check them).
 */
export function coverageWindow(input: {
  periods: readonly InsurabilityPeriod[];
  deliveryDate: Day;
  consultationDate: Day;
}): Result<CoverageWindow, CoverageCode> {
  const start = input.deliveryDate;
  if (compareDays(start, input.consultationDate) > 0) return fail("DATE_IN_FUTURE");

  const sorted = [...input.periods].sort(byBegin);
  const current = inForce(sorted, start);
  // brochure §5.2: "il n'y a pas d'engagement de paiement, s'il n'y a pas de droit à la date".
  if (current === undefined) return fail("NO_RIGHT_AT_DATE");

  const cap = addDays(start, MAX_COVERAGE_DAYS);
  // The status can only change on a day where some period begins or the day after one ends;
  // check those days in order and stop at the first one where the start's status is not in force.
  const changeDays = new Set<Day>();
  for (const p of sorted) {
    changeDays.add(p.begin);
    if (p.end !== null) changeDays.add(addDays(p.end, 1));
  }
  const candidates = [...changeDays]
    .filter((d) => compareDays(d, start) > 0 && compareDays(d, cap) <= 0)
    .sort(compareDays);

  let end = cap;
  for (const day of candidates) {
    const status = inForce(sorted, day);
    if (status === undefined || !sameStatus(status, current)) {
      end = addDays(day, -1);
      break;
    }
  }

  const window: CoverageWindow = { coverage: { start, end }, ct1: current.ct1, ct2: current.ct2 };
  if (current.mutuality !== undefined) window.mutuality = current.mutuality;
  return ok(window);
}

/**
 * brochure §5.2: the window a commitment MyCareNet sent can be relied on — the rule's window
 * computed from the period as sent (start = the delivery date, end at most start + 30 days),
 * so never later than MyCareNet's period. Null when the period does not contain the delivery
 * date (no right at the date: nothing to rely on).
 */
export function reliedWindow(sent: Coverage, deliveryDate: Day, consultationDate: Day): Coverage | null {
  const rule = coverageWindow({
    periods: [{ ct1: "000", ct2: "000", begin: sent.start, end: sent.end }],
    deliveryDate,
    consultationDate,
  });
  return rule.ok ? rule.value.coverage : null;
}
