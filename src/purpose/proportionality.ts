// Proportionality (SPEC §1.6, brochure §7.2): "il est notamment interdit de consulter MyCareNet
// systématiquement par exemple pour mettre à jour la totalité de la base de données de
// l'officine". MyCareNet detects such patterns and may throttle or exclude the pharmacy, so the
// daemon refuses them before they leave. Pure: counts in, decision out.
//
// The thresholds are internal policy, not regulation (no CIN/INAMI figure was found:
// reference/notes/domain-rules.md §7); they are configurable and their defaults are in the README.

export type ProportionalityRule = "patient-per-day" | "unconfirmed-patients";

export interface ProportionalityLimits {
  /** MyCareNet consultations for one patient in one Brussels day (MCN_GUARD_PATIENT_PER_DAY). */
  readonly patientPerDay: number;
  /** Distinct patients consulted in the window without a confirmed delivery (MCN_GUARD_UNCONFIRMED_PATIENTS). */
  readonly unconfirmedPatients: number;
  /** The sliding window of the second rule, minutes (MCN_GUARD_WINDOW_MINUTES). */
  readonly windowMinutes: number;
}

export const DEFAULT_PROPORTIONALITY_LIMITS: ProportionalityLimits = Object.freeze({
  // A patient rarely needs more than a few delivery dates in one day; identical questions within
  // minutes are answered from the cache and do not count.
  patientPerDay: 10,
  // A counter serving patients confirms each delivery; a script refreshing the patient file never
  // does. 30 patients in an hour without one confirmed delivery is not a counter.
  unconfirmedPatients: 30,
  windowMinutes: 60,
});

/** What the store says, before the consultation being decided. */
export interface ProportionalityCounts {
  /** Consultations of this patient already recorded today. */
  readonly patientToday: number;
  /** Distinct patients with a consultation in the window whose delivery is not confirmed. */
  readonly unconfirmedPatients: number;
  /** This patient is already one of them (asking again adds no new patient). */
  readonly patientAmongUnconfirmed: boolean;
}

export type ProportionalityDecision =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly rule: ProportionalityRule;
      readonly count: number;
      readonly limit: number;
    };

export function decideProportionality(
  counts: ProportionalityCounts,
  limits: ProportionalityLimits,
  liftedToday: boolean,
): ProportionalityDecision {
  if (liftedToday) return { allowed: true };
  if (counts.patientToday >= limits.patientPerDay) {
    return {
      allowed: false,
      rule: "patient-per-day",
      count: counts.patientToday,
      limit: limits.patientPerDay,
    };
  }
  if (!counts.patientAmongUnconfirmed && counts.unconfirmedPatients >= limits.unconfirmedPatients) {
    return {
      allowed: false,
      rule: "unconfirmed-patients",
      count: counts.unconfirmedPatients,
      limit: limits.unconfirmedPatients,
    };
  }
  return { allowed: true };
}

/** The first instant of the sliding window that ends at `now`. */
export function windowStart(now: Date, limits: ProportionalityLimits): Date {
  return new Date(now.getTime() - limits.windowMinutes * 60_000);
}
