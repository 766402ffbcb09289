// Purpose, proportionality, pricing office and retention rules (SPEC §1.3, §1.6; brochure §5.3,
// §7, §8.2.2.7). Pure: no I/O; src/purpose and src/store call them.
export { PRICING_OFFICE_ACTIONS, PURPOSE_ACTIONS } from "../audit-actions.js";
export {
  DEFAULT_INSURABILITY_REJECTION_CODES,
  DEFAULT_INSURABILITY_REJECTIONS,
  REJECTION_CODE,
} from "./insurability-rejections.js";
export {
  checkPricingOfficePurpose,
  PURPOSE_REASONS,
  purposeReasonMessage,
  rejectionKey,
} from "./pricing-office.js";
export {
  checkNewMandate,
  checkRevocation,
  MANDATARY_KINDS,
  MANDATE_SERVICES,
  mandateInForce,
  mandateState,
  readMandatary,
} from "./mandate.js";
export type {
  Mandatary,
  MandataryKind,
  MandataryRef,
  Mandate,
  MandateService,
  MandateTerms,
} from "./mandate.js";
export type { PricingOfficeFacts, PricingOfficePolicy, PurposeReason } from "./pricing-office.js";
export { decideProportionality, DEFAULT_PROPORTIONALITY_LIMITS, windowStart } from "./proportionality.js";
export type {
  ProportionalityCounts,
  ProportionalityDecision,
  ProportionalityLimits,
  ProportionalityRule,
} from "./proportionality.js";
export { buildPurposeReport } from "./purpose-report.js";
export type {
  PricingOfficeResult,
  PurposeReport,
  PurposeReportInput,
  ReportAlert,
  ReportConsultation,
  ReportLift,
  ReportPricingOfficeUse,
} from "./purpose-report.js";
export { csvCell, PURPOSE_CSV_COLUMNS, purposeReportCsv } from "./purpose-csv.js";
export { DEFAULT_RETENTION_MONTHS, retentionCutoff } from "./retention.js";
export { dayBoundsOf, isMonth, monthBoundsOf, monthOf } from "./month.js";
export type { MonthBounds } from "./month.js";
