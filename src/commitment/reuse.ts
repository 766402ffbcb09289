// Reuse of a stored payment commitment when the online consultation is impossible
// (SPEC §1.3 "Reuse"; brochure §5.3 and annex 11.1).
import { compareDays } from "./calendar.js";
import type { Day } from "./calendar.js";
import type { Coverage } from "./coverage.js";

export interface StoredCommitment {
  id: string;
  consultedOn: Day;
  /** The window the commitment serves: the rule's (brochure §5.2), never MyCareNet's longer one. */
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
 * A later online answer saying "no right" at `from` (SPEC §1.3 reuse): the insurer withdrew what
 * an older commitment promised, from that day on.
 */
export interface RightLoss {
  from: Day;
  /** ISO 8601 instant of the answer. */
  observedAt: string;
}

/**
 * brochure §5.3: reusable for a delivery between the coverage start and end (both included),
 * and — the reuse being for a later delivery — not before the day it was obtained; never for a
 * day that a "no right" answer obtained after it covers.
 */
export function isReusableFor(
  c: StoredCommitment,
  deliveryDate: Day,
  losses: readonly RightLoss[] = [],
): boolean {
  return (
    !neverReusable(c) &&
    !losses.some(
      (l) => compareDays(l.from, deliveryDate) <= 0 && instantOf(l.observedAt) > instantOf(c.obtainedAt),
    ) &&
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
function instantOf(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}
const instant = (c: StoredCommitment): number => instantOf(c.obtainedAt);

/**
 * brochure §5.3: "on utilise toujours le dernier engagement de paiement obtenu qui couvre cette
 * date". Ties on the instant keep the candidate listed first, so the choice is deterministic.
 */
export function chooseReusable<T extends StoredCommitment>(
  candidates: readonly T[],
  deliveryDate: Day,
  losses: readonly RightLoss[] = [],
): T | undefined {
  let chosen: T | undefined;
  for (const c of candidates) {
    if (!isReusableFor(c, deliveryDate, losses)) continue;
    if (chosen === undefined || instant(c) > instant(chosen)) chosen = c;
  }
  return chosen;
}
