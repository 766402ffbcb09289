// Reads one month from the store and hands it to the pure purpose report (SPEC §1.6).
import {
  buildPurposeReport,
  monthBoundsOf,
  PRICING_OFFICE_ACTIONS,
  PURPOSE_ACTIONS,
  type PricingOfficeResult,
  type PurposeReport,
  type ReportPricingOfficeUse,
} from "../purpose/index.js";
import type { Store } from "../store/store.js";

const RESULT_OF: Readonly<Record<string, PricingOfficeResult>> = {
  [PURPOSE_ACTIONS.pricingOfficeConsulted]: "answered",
  [PURPOSE_ACTIONS.pricingOfficeRefused]: "refused",
  [PURPOSE_ACTIONS.pricingOfficeRejected]: "rejected",
  [PURPOSE_ACTIONS.pricingOfficeUnanswered]: "unanswered",
};

const text = (value: unknown): string | null => (typeof value === "string" ? value : null);

/** `month` is `YYYY-MM` (checked by the caller). */
export function purposeReportFor(store: Store, month: string): PurposeReport {
  const bounds = monthBoundsOf(month);
  const pseudonyms = new Map<string, string>();
  const pseudonym = (key: Parameters<Store["patientPseudonym"]>[0]): string => {
    let p = pseudonyms.get(key);
    if (p === undefined) {
      p = store.patientPseudonym(key);
      pseudonyms.set(key, p);
    }
    return p;
  };
  const imported = store.imports.sourcesBetween(bounds.fromDay, bounds.untilDay);
  const consultations = store.listConsultationsForMonth(month).map((c) => ({
    id: c.id,
    reference: c.reference,
    patient: pseudonym(c.patientKey),
    deliveryDate: c.deliveryDate,
    consultedAt: c.consultedAt,
    consultedOn: c.consultedOn,
    principal: c.principal,
    outcome: c.outcome,
    confirmed: c.delivery !== null,
    deliveredOn: c.delivery?.on ?? null,
    sharesConsultation: c.sharesConsultation,
    ...(imported.has(c.id) ? { source: imported.get(c.id) } : {}),
  }));
  const pricingOffice: ReportPricingOfficeUse[] = store.compliance
    .auditBetween(PRICING_OFFICE_ACTIONS, bounds.from, bounds.until)
    .map((e) => ({
      at: e.at,
      result: RESULT_OF[e.action] ?? "refused",
      invoiceReference: text(e.detail?.["invoiceReference"]),
      reasonCode: text(e.detail?.["reasonCode"]),
      deliveryDate: text(e.detail?.["deliveryDate"]),
      refusal: text(e.detail?.["reason"]),
    }));
  return buildPurposeReport({
    month,
    consultations,
    rejectedByMyCareNet: store.compliance.countAuditBetween(
      PURPOSE_ACTIONS.consultationRejected,
      bounds.from,
      bounds.until,
    ),
    alerts: store.compliance.alertsBetween(bounds.fromDay, bounds.untilDay),
    lifts: store.compliance.liftsBetween(bounds.fromDay, bounds.untilDay),
    pricingOffice,
  });
}
