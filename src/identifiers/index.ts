// The identifiers room (SPEC §1.1): pure parsers that reject bad input with a precise code
// before anything goes upstream, and builders for synthetic data.
export { makeNiss, normalizeNiss, parseNiss } from "./niss.js";
export type { Niss, NissErrorCode, NissKind } from "./niss.js";
export { makeNihii, parseNihii } from "./nihii.js";
export type { Nihii, NihiiErrorCode, NihiiScheme } from "./nihii.js";
export { NATIONAL_UNIONS, parseMutuality } from "./mutuality.js";
export type { Mutuality, NationalUnion } from "./mutuality.js";
export { parseRegistrationNumber } from "./registration-number.js";
export { makeBce, parseBce } from "./bce.js";
export type { BceErrorCode } from "./bce.js";
