// Reuse of a stored payment commitment when the online consultation is impossible
// (SPEC §1.3 "Reuse"; brochure §5.3 and annex 11.1).
import { compareDays } from "./calendar.js";
import type { Day } from "./calendar.js";
import type { Coverage } from "./coverage.js";

export interface StoredCommitment {
  id: string;
  consultedOn: Day;
  coverage: Coverage;
  /** ISO 8601 instant at which the commitment was obtained; orders "the one obtained last". */
  obtainedAt: string;
}

/**
 * annex 11.1 ex. 4 and 5: a commitment whose coverage ends before its consultation day can
 * never serve a later delivery ("la date de fin de couverture est inférieure à la date du jour
 * de la consultation").
 */
export function neverReusable(c: StoredCommitment): boolean {
  return compareDays(c.coverage.end, c.consultedOn) < 0;
}

/**
 * brochure §5.3: reusable for a delivery between the coverage start and end (both included),
 * and — the reuse being for a later delivery — not before the day it was obtained.
 */
export function isReusableFor(c: StoredCommitment, deliveryDate: Day): boolean {
  return (
    !neverReusable(c) &&
    compareDays(c.consultedOn, deliveryDate) <= 0 &&
    compareDays(c.coverage.start, deliveryDate) <= 0 &&
    compareDays(deliveryDate, c.coverage.end) <= 0
  );
}

/** Last delivery day this commitment may serve ("au plus tard le …"), or null if never. */
export function reusableUntil(c: StoredCommitment): Day | null {
  return neverReusable(c) ? null : c.coverage.end;
}

// An unparsable instant sorts first, so a well-formed one is always preferred.
function instant(c: StoredCommitment): number {
  const t = Date.parse(c.obtainedAt);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/**
 * brochure §5.3: "on utilise toujours le dernier engagement de paiement obtenu qui couvre cette
 * date". Ties on the instant keep the candidate listed first, so the choice is deterministic.
 */
export function chooseReusable<T extends StoredCommitment>(
  candidates: readonly T[],
  deliveryDate: Day,
): T | undefined {
  let chosen: T | undefined;
  for (const c of candidates) {
    if (!isReusableFor(c, deliveryDate)) continue;
    if (chosen === undefined || instant(c) > instant(chosen)) chosen = c;
  }
  return chosen;
}
