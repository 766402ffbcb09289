// The simulator's independent oracle: the rules the simulated MyCareNet applies, written from
// the brochure and the research notes, never imported from the daemon (lint forbids it).
export { addDays, brusselsDay, compareDays, daysInMonth, isDay } from "./calendar.js";
export type { Day } from "./calendar.js";
export { COVERAGE_DAYS, coveragePeriod, overlongEnd } from "./coverage.js";
export type { CoverageVerdict, RightPeriod } from "./coverage.js";
export {
  checkNiss,
  isNihii,
  isRegistrationNumber,
  syntheticNihii,
  syntheticNiss,
  unionOfMutuality,
} from "./identifiers.js";
export type { NissCheck, Union } from "./identifiers.js";
export {
  codeFor,
  INPUT_DETAIL,
  isOrdinaryCode,
  parseCode,
  SIM_CODES,
  UNKNOWN_CODE_FAMILIES,
  UNKNOWN_CODES,
} from "./return-codes.js";
export type { Code, SimOutcome, UnknownCodeFamily } from "./return-codes.js";
