// The audit actions that purpose and proportionality write and that the purpose report reads
// back. Stable strings: they are in the hash-chained trail and cannot be renamed later.
export const PURPOSE_ACTIONS = Object.freeze({
  /** MyCareNet answered a pricing-office consultation (the only trace of the answer). */
  pricingOfficeConsulted: "pricing-office.consulted",
  /** Refused by the purpose rule before anything left (PURPOSE_NOT_ALLOWED). */
  pricingOfficeRefused: "pricing-office.refused",
  /** MyCareNet refused the pricing office's request (a business error). */
  pricingOfficeRejected: "pricing-office.rejected",
  /** MyCareNet could not answer; online only, nothing else happened. */
  pricingOfficeUnanswered: "pricing-office.unanswered",
  proportionalityRefused: "proportionality.refused",
  proportionalityLifted: "proportionality.lifted",
  /** Written by the consultation service when MyCareNet refuses a request. */
  consultationRejected: "consultation.rejected",
});

export const PRICING_OFFICE_ACTIONS: readonly string[] = [
  PURPOSE_ACTIONS.pricingOfficeConsulted,
  PURPOSE_ACTIONS.pricingOfficeRefused,
  PURPOSE_ACTIONS.pricingOfficeRejected,
  PURPOSE_ACTIONS.pricingOfficeUnanswered,
];
