// The proportionality guard (SPEC §1.6, brochure §7.2): asked before anything leaves for
// MyCareNet, it refuses a bulk pattern with PROPORTIONALITY_LIMIT, records the refusal (audit)
// and the day's alert, and lets a pharmacist lift the block for the rest of the day (audited).
//
// What counts is a consultation MyCareNet is asked for, i.e. a stored consultation: an identical
// question answered from the cache does not reach MyCareNet and does not count; a recall that
// MyCareNet refused reached it and counts (store/compliance.ts). The guard is asked right before
// a message is sent (gateway.ts `beforeSend`): a consultation the fallback answers from the
// store sends nothing and is never refused (issue 13).
import { addDays, brusselsDay, type Day } from "../commitment/index.js";
import {
  decideProportionality,
  windowStart,
  type ProportionalityLimits,
  type ProportionalityRule,
} from "../purpose/index.js";
import { CodedError } from "../errors.js";
import type { Actor } from "../store/audit.js";
import type {
  ComplianceStore,
  ProportionalityAlertRow,
  ProportionalityLiftRow,
} from "../store/compliance.js";
import type { PatientKey } from "../identifiers/patient-key.js";

export interface GuardRequest {
  readonly patientKey: PatientKey;
  /** Who asks (audited with the refusal). */
  readonly actor: Actor;
}

export interface GuardEvents {
  /** Every refusal; `opensAlert` for the first of its rule on the day. */
  refused(refusal: { rule: ProportionalityRule; count: number; limit: number; opensAlert: boolean }): void;
  lifted(lift: ProportionalityLiftRow): void;
}

export interface GuardStatus {
  state: "ok" | "alert" | "lifted";
  day: Day;
  limits: ProportionalityLimits;
  alerts: ProportionalityAlertRow[];
  lift: ProportionalityLiftRow | null;
}

export interface GuardDeps {
  readonly store: ComplianceStore;
  readonly limits: ProportionalityLimits;
  readonly clock: () => Date;
  readonly events?: GuardEvents;
}

/** What the consultation and recall code call before MyCareNet: throws PROPORTIONALITY_LIMIT. */
export type ConsultationGuard = (request: GuardRequest) => void;

export class ProportionalityGuard {
  readonly #d: GuardDeps;

  constructor(deps: GuardDeps) {
    this.#d = deps;
  }

  get limits(): ProportionalityLimits {
    return this.#d.limits;
  }

  /** Bound, to be handed to the consultation service and the recall runner. */
  readonly check: ConsultationGuard = (request) => {
    const { store, limits } = this.#d;
    const now = this.#d.clock();
    const day = brusselsDay(now);
    const lifted = this.#liftOn(day) !== undefined;
    if (lifted) return;
    const unconfirmed = store.unconfirmedPatientsSince(windowStart(now, limits), request.patientKey);
    const decision = decideProportionality(
      {
        patientToday: store.consultationsOn(request.patientKey, day),
        unconfirmedPatients: unconfirmed.distinct,
        patientAmongUnconfirmed: unconfirmed.includesPatient,
      },
      limits,
      false,
    );
    if (decision.allowed) return;
    const { rule, count, limit } = decision;
    const { opensAlert } = store.recordRefusal({
      day,
      rule,
      count,
      limit,
      by: request.actor,
      patientKey: request.patientKey,
      at: now,
    });
    this.#d.events?.refused({ rule, count, limit, opensAlert });
    throw new CodedError("PROPORTIONALITY_LIMIT", {
      rule,
      limit,
      ...(rule === "unconfirmed-patients" ? { windowMinutes: limits.windowMinutes } : {}),
    });
  };

  /** For the rest of today (Brussels), nothing is refused. A second lift returns the first. */
  lift(by: Actor, reason: string): { lift: ProportionalityLiftRow; created: boolean } {
    const now = this.#d.clock();
    const result = this.#d.store.lift(brusselsDay(now), by, reason, now);
    if (result.created) this.#d.events?.lifted(result.lift);
    return result;
  }

  status(): GuardStatus {
    const day = brusselsDay(this.#d.clock());
    const alerts = this.#d.store.alertsBetween(day, addDays(day, 1));
    const lift = this.#liftOn(day) ?? null;
    return {
      state: lift ? "lifted" : alerts.length > 0 ? "alert" : "ok",
      day,
      limits: this.#d.limits,
      alerts,
      lift,
    };
  }

  #liftOn(day: Day): ProportionalityLiftRow | undefined {
    return this.#d.store.liftsBetween(day, addDays(day, 1))[0];
  }
}
