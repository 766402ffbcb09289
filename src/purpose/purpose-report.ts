// The monthly purpose report (SPEC §1.6, brochure §7.3): the insurers compare the consultations
// with the deliveries billed; this report lets the pharmacy see the same figures first —
// consultations, confirmed deliveries, consultations never confirmed (with the dispensing
// software's references), per-patient maxima, bulk alerts and the pricing office's use.
// Pure: the caller reads the month from the store; patients come in as pseudonyms.
import type { Day } from "../commitment/index.js";
import type { ProportionalityRule } from "./proportionality.js";

export interface ReportConsultation {
  id: string;
  reference: string;
  /** The audit trail's keyed pseudonym of the patient, never the NISS. */
  patient: string;
  deliveryDate: Day;
  consultedAt: string;
  consultedOn: Day;
  principal: string;
  outcome: string;
  confirmed: boolean;
  /** The day the dispensing software confirmed the delivery took place on, when confirmed. */
  deliveredOn?: Day | null;
  /**
   * Another prescription answered from the cache: the consultation whose MyCareNet answer it
   * shares. Not a consultation of its own; its confirmation confirms the one it shares.
   */
  sharesConsultation?: string | null;
  /** A result obtained elsewhere (SPEC §1.6): it counts as a consultation. */
  source?: "recipe" | "portal";
}

export interface ReportAlert {
  day: Day;
  rule: ProportionalityRule;
  firstAt: string;
  lastAt: string;
  refusals: number;
  limit: number;
}

export interface ReportLift {
  day: Day;
  liftedAt: string;
  liftedBy: string;
  reason: string;
}

export type PricingOfficeResult = "answered" | "refused" | "rejected" | "unanswered";

export interface ReportPricingOfficeUse {
  at: string;
  result: PricingOfficeResult;
  invoiceReference: string | null;
  reasonCode: string | null;
  deliveryDate: Day | null;
  /** PURPOSE_NOT_ALLOWED's sub-code for a refusal. */
  refusal: string | null;
}

export interface PurposeReportInput {
  month: string;
  consultations: readonly ReportConsultation[];
  /** Requests MyCareNet refused (not stored as consultations). */
  rejectedByMyCareNet: number;
  alerts: readonly ReportAlert[];
  lifts: readonly ReportLift[];
  pricingOffice: readonly ReportPricingOfficeUse[];
}

export interface PurposeReport {
  month: string;
  consultations: {
    total: number;
    online: number;
    fallback: number;
    byOutcome: Record<string, number>;
    /** Online consultations that re-checked a fallback delivery (part of `online`). */
    recalls: number;
    /** Results obtained elsewhere recorded as consultations (part of `online`, SPEC §1.6). */
    imported: { recipe: number; portal: number };
    rejectedByMyCareNet: number;
  };
  deliveries: { confirmed: number; unconfirmed: number };
  /**
   * Confirmed deliveries made on another day than the delivery date consulted for: the invoice
   * carries the day of the delivery, which the insurers compare with the consultation.
   */
  deliveredOnAnotherDay: Array<{ id: string; reference: string; deliveryDate: Day; deliveredOn: Day }>;
  unconfirmed: Array<{
    id: string;
    reference: string;
    consultedAt: string;
    deliveryDate: Day;
    outcome: string;
    principal: string;
  }>;
  perPatient: {
    patients: number;
    maxPerDay: { count: number; day: Day; patient: string } | null;
    maxInMonth: { count: number; patient: string } | null;
  };
  bulkAlerts: Array<ReportAlert & { lifted: { at: string; by: string; reason: string } | null }>;
  pricingOffice: {
    answered: number;
    refused: number;
    rejected: number;
    unanswered: number;
    refusalsByReason: Record<string, number>;
    uses: ReportPricingOfficeUse[];
  };
}

// A recall (brochure §9.3.5) is the online consultation of a delivery already made in fallback,
// under the same reference: it serves that delivery, so that delivery's confirmation is its own.
const deliveryKey = (c: ReportConsultation) => `${c.patient}|${c.deliveryDate}|${c.reference}`;

export function buildPurposeReport(input: PurposeReportInput): PurposeReport {
  const all = input.consultations;
  const sharedConfirmed = new Set(
    all.filter((c) => c.sharesConsultation && c.confirmed).map((c) => c.sharesConsultation),
  );
  input = { ...input, consultations: all.filter((c) => !c.sharesConsultation) };
  const byOutcome: Record<string, number> = {};
  const perDay = new Map<string, { count: number; day: Day; patient: string }>();
  const perMonth = new Map<string, number>();
  const fallbackDeliveries = new Map<string, ReportConsultation>();
  for (const c of input.consultations) if (c.outcome !== "online") fallbackDeliveries.set(deliveryKey(c), c);
  const recallOf = (c: ReportConsultation) =>
    c.outcome === "online" ? fallbackDeliveries.get(deliveryKey(c)) : undefined;
  const isConfirmed = (c: ReportConsultation) =>
    c.confirmed || sharedConfirmed.has(c.id) || (recallOf(c)?.confirmed ?? false);
  let confirmed = 0;
  let recalls = 0;
  for (const c of input.consultations) {
    byOutcome[c.outcome] = (byOutcome[c.outcome] ?? 0) + 1;
    if (isConfirmed(c)) confirmed++;
    if (recallOf(c)) recalls++;
    const key = `${c.patient}|${c.consultedOn}`;
    const day = perDay.get(key) ?? { count: 0, day: c.consultedOn, patient: c.patient };
    day.count++;
    perDay.set(key, day);
    perMonth.set(c.patient, (perMonth.get(c.patient) ?? 0) + 1);
  }
  const total = input.consultations.length;
  const online = byOutcome["online"] ?? 0;

  // Ties go to the earliest day, then the smallest pseudonym: the same month gives the same report.
  let maxPerDay: PurposeReport["perPatient"]["maxPerDay"] = null;
  for (const d of perDay.values()) {
    if (
      maxPerDay === null ||
      d.count > maxPerDay.count ||
      (d.count === maxPerDay.count &&
        (d.day < maxPerDay.day || (d.day === maxPerDay.day && d.patient < maxPerDay.patient)))
    ) {
      maxPerDay = { ...d };
    }
  }
  let maxInMonth: PurposeReport["perPatient"]["maxInMonth"] = null;
  for (const [patient, count] of perMonth) {
    if (
      maxInMonth === null ||
      count > maxInMonth.count ||
      (count === maxInMonth.count && patient < maxInMonth.patient)
    ) {
      maxInMonth = { count, patient };
    }
  }

  const liftOf = new Map(input.lifts.map((l) => [l.day, l]));
  const bulkAlerts = [...input.alerts]
    .sort((a, b) => (a.firstAt < b.firstAt ? -1 : a.firstAt > b.firstAt ? 1 : a.rule < b.rule ? -1 : 1))
    .map((a) => {
      const lift = liftOf.get(a.day);
      return { ...a, lifted: lift ? { at: lift.liftedAt, by: lift.liftedBy, reason: lift.reason } : null };
    });

  const refusalsByReason: Record<string, number> = {};
  const count = (r: PricingOfficeResult) => input.pricingOffice.filter((u) => u.result === r).length;
  for (const u of input.pricingOffice) {
    if (u.result === "refused" && u.refusal !== null)
      refusalsByReason[u.refusal] = (refusalsByReason[u.refusal] ?? 0) + 1;
  }

  return {
    month: input.month,
    consultations: {
      total,
      online,
      fallback: total - online,
      byOutcome,
      recalls,
      imported: {
        recipe: input.consultations.filter((c) => c.source === "recipe").length,
        portal: input.consultations.filter((c) => c.source === "portal").length,
      },
      rejectedByMyCareNet: input.rejectedByMyCareNet,
    },
    deliveries: { confirmed, unconfirmed: total - confirmed },
    deliveredOnAnotherDay: all.flatMap((c) =>
      c.deliveredOn && c.deliveredOn !== c.deliveryDate
        ? [{ id: c.id, reference: c.reference, deliveryDate: c.deliveryDate, deliveredOn: c.deliveredOn }]
        : [],
    ),
    unconfirmed: input.consultations
      .filter((c) => !isConfirmed(c))
      .map((c) => ({
        id: c.id,
        reference: c.reference,
        consultedAt: c.consultedAt,
        deliveryDate: c.deliveryDate,
        outcome: c.outcome,
        principal: c.principal,
      })),
    perPatient: { patients: perMonth.size, maxPerDay, maxInMonth },
    bulkAlerts,
    pricingOffice: {
      answered: count("answered"),
      refused: count("refused"),
      rejected: count("rejected"),
      unanswered: count("unanswered"),
      refusalsByReason,
      uses: [...input.pricingOffice],
    },
  };
}
