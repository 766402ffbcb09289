// Every action the audit trail can record. The strings are in the hash-chained trail: once
// written they can never be renamed, only added to (audit-actions.test.ts locks the list).
export const AUDIT_ACTIONS = [
  "consultation.recorded",
  /** MyCareNet refused a request (a business error), written by the consultation service. */
  "consultation.rejected",
  "delivery.confirmed",
  "fallback.answered",
  "recall.resolved",
  "recall.handled",
  "retention.purged",
  "session.opened",
  "session.closed",
  /** MyCareNet answered a pricing-office consultation (the only trace of the answer). */
  "pricing-office.consulted",
  /** Refused by the purpose rule before anything left (PURPOSE_NOT_ALLOWED). */
  "pricing-office.refused",
  /** MyCareNet refused the pricing office's request (a business error). */
  "pricing-office.rejected",
  /** MyCareNet could not answer; online only, nothing else happened. */
  "pricing-office.unanswered",
  "proportionality.refused",
  "proportionality.lifted",
  /** GET /v1/commitments: who looked up which patient's stored commitment for which date. */
  "commitment.looked-up",
  /** The titular pharmacist gave a mandate (SPEC §1.6, brochure §8.2.2.5). */
  "mandate.given",
  /** A mandate was revoked; the record stays. */
  "mandate.revoked",
  /** A result obtained elsewhere (portal, Recip-e) recorded as a consultation (brochure §9.3.3). */
  "consultation.imported",
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The actions that purpose and proportionality write and the purpose report reads back. */
export const PURPOSE_ACTIONS = Object.freeze({
  pricingOfficeConsulted: "pricing-office.consulted",
  pricingOfficeRefused: "pricing-office.refused",
  pricingOfficeRejected: "pricing-office.rejected",
  pricingOfficeUnanswered: "pricing-office.unanswered",
  proportionalityRefused: "proportionality.refused",
  proportionalityLifted: "proportionality.lifted",
  consultationRejected: "consultation.rejected",
} as const satisfies Record<string, AuditAction>);

export const PRICING_OFFICE_ACTIONS: readonly AuditAction[] = [
  PURPOSE_ACTIONS.pricingOfficeConsulted,
  PURPOSE_ACTIONS.pricingOfficeRefused,
  PURPOSE_ACTIONS.pricingOfficeRejected,
  PURPOSE_ACTIONS.pricingOfficeUnanswered,
];

/** Stored payment commitments (SPEC §1.3, brochure §5.3). */
export const COMMITMENT_ACTIONS = Object.freeze({
  lookedUp: "commitment.looked-up",
} as const satisfies Record<string, AuditAction>);

// Mandates (SPEC §1.6, brochure §8.2.2.5): given and revoked (a refused attempt changes nothing).
export const MANDATE_ACTIONS = Object.freeze({
  given: "mandate.given",
  revoked: "mandate.revoked",
} as const satisfies Record<string, AuditAction>);

// Results obtained elsewhere (SPEC §1.6, brochure §9.3.3) recorded as a consultation.
export const IMPORT_ACTIONS = Object.freeze({
  recorded: "consultation.imported",
} as const satisfies Record<string, AuditAction>);
