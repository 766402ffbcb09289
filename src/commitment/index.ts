// Payment commitment domain (SPEC §1.3): calendar days, coverage window, reuse.
export { addDays, brusselsDay, compareDays, daysBetween, isDay, maxDay, minDay } from "./calendar.js";
export type { Day } from "./calendar.js";
export { coverageWindow, MAX_COVERAGE_DAYS, reliedWindow } from "./coverage.js";
export type { Coverage, CoverageCode, CoverageWindow, InsurabilityPeriod } from "./coverage.js";
export { chooseReusable, isReusableFor, neverReusable, reusableUntil } from "./reuse.js";
export type { RightLoss, StoredCommitment } from "./reuse.js";
