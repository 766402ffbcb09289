// NISS / INSZ (national register number) and BIS number: SPEC §1.1, domain-rules §1.
// Layout `YYMMDD SSS CC`. Kept as an 11-character string: people born 1900–1909 and 2000–2009
// have a leading zero (domain-rules §1.3 (7)).
import { fail, ok } from "../result.js";
import type { Result } from "../result.js";

export type NissKind = "national" | "bis";

export interface Niss {
  normalized: string;
  kind: NissKind;
  /** YYYY-MM-DD, or null when the number does not encode a full calendar date. */
  birthDate: string | null;
  sex: "male" | "female" | null;
}

export type NissErrorCode = "NISS_FORMAT" | "NISS_CHECKSUM" | "NISS_MONTH";

// Births from 2000 are checked on `2` followed by the nine digits (KB 25 Nov 1997; KB 13 Oct 1998
// for BIS). 2 000 000 000 ≡ 68 (mod 97), so the two rules never hold for the same number and the
// rule that holds gives the century.
const PREFIX_2000 = 2_000_000_000;

const SEPARATORS = /[ ./-]/g;
const ELEVEN_DIGITS = /^[0-9]{11}$/;

/** Removes the separators of the printed forms (`YY.MM.DD-SSS.CC`, spaces, slashes). */
export function normalizeNiss(input: string): string {
  return input.replace(SEPARATORS, "");
}

const checkDigits = (base9: number, century: 1900 | 2000): number =>
  97 - ((century === 2000 ? PREFIX_2000 + base9 : base9) % 97);

// Order of checks: format, then checksum, then month (domain-rules §1.5: `85133000105` has a
// valid checksum and must fail on its month 13).
export function parseNiss(input: string): Result<Niss, NissErrorCode> {
  if (typeof input !== "string") return fail("NISS_FORMAT");
  const normalized = normalizeNiss(input);
  if (!ELEVEN_DIGITS.test(normalized)) return fail("NISS_FORMAT");

  const base9 = Number(normalized.slice(0, 9));
  const check = Number(normalized.slice(9));
  const century =
    checkDigits(base9, 1900) === check ? 1900 : checkDigits(base9, 2000) === check ? 2000 : null;
  if (century === null) return fail("NISS_CHECKSUM");

  const encodedMonth = Number(normalized.slice(2, 4));
  const band = monthBand(encodedMonth);
  if (band === null) return fail("NISS_MONTH");

  // Sequence 000 and 999 are never assigned by IT000 (001–997 male, 002–998 female), but
  // python-stdnum accepts them and domain-rules §1.3 (6) recommends a warning, not a reject:
  // refusing a number the insurer knows would block a delivery. So they are accepted here and
  // their parity is read like any other sequence.
  const sequence = Number(normalized.slice(6, 9));
  const sex = band === "bis-sex-unknown" ? null : sequence % 2 === 1 ? "male" : "female";

  return ok({
    normalized,
    kind: band === "national" ? "national" : "bis",
    birthDate: birthDateOf(
      century + Number(normalized.slice(0, 2)),
      encodedMonth % 20,
      Number(normalized.slice(4, 6)),
    ),
    sex,
  });
}

type MonthBand = "national" | "bis-sex-unknown" | "bis-sex-known";

// Months 00–12 national; BIS month +20 when the sex was unknown at issue, +40 when it was known
// (KB 8 Feb 1991 art. 2; domain-rules §0 corrects the seed, which had them the other way round).
function monthBand(month: number): MonthBand | null {
  if (month <= 12) return "national";
  if (month >= 20 && month <= 32) return "bis-sex-unknown";
  if (month >= 40 && month <= 52) return "bis-sex-known";
  return null;
}

// Month 00 or day 00 mean "unknown"; a day past the month's end is what counter exhaustion
// produces (domain-rules §1.3 (1), (4)): the number is valid, its birth date is not derivable.
// The fictitious dates 000001 / 002001 / 004001 (§1.3 (3)) fall under month 00.
function birthDateOf(year: number, month: number, day: number): string | null {
  if (month === 0 || day === 0 || day > daysInMonth(year, month)) return null;
  return `${year}-${pad(month, 2)}-${pad(day, 2)}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

const pad = (value: number, width: number): string => String(value).padStart(width, "0");

const BIRTH_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

/**
 * Builds a valid number (synthetic population of the simulator, property tests).
 * `birthDate` is YYYY-MM-DD with a year from 1900 to 2099; month `00` and day `00` encode an
 * unknown month or day, as issued. `bis` adds 40 ("sex-known") or 20 ("sex-unknown") to the month.
 * Throws a RangeError on arguments that cannot form a number (a programming error).
 */
export function makeNiss(parts: {
  birthDate: string;
  sequence: number;
  bis?: "sex-known" | "sex-unknown";
}): string {
  const match = BIRTH_DATE.exec(parts.birthDate);
  if (match === null) throw new RangeError("makeNiss: birthDate must be YYYY-MM-DD");
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1900 || year > 2099) throw new RangeError("makeNiss: year must be 1900–2099");
  if (month > 12 || day > 31) throw new RangeError("makeNiss: month must be 00–12 and day 00–31");
  const { sequence } = parts;
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) {
    throw new RangeError("makeNiss: sequence must be an integer 0–999");
  }
  const offset = parts.bis === "sex-known" ? 40 : parts.bis === "sex-unknown" ? 20 : 0;
  const base = `${pad(year % 100, 2)}${pad(month + offset, 2)}${pad(day, 2)}${pad(sequence, 3)}`;
  return withCheckDigits(base, year >= 2000 ? 2000 : 1900);
}

/**
 * A 9-digit base (YYMMDD + sequence) completed with its check digits (SPEC §1.1: 97 − base mod
 * 97, with a 2 before the base for a birth from 2000 on). For synthetic numbers whose birth date
 * is not meant to be read (tests, the bench); makeNiss builds one from a birth date.
 */
export function withCheckDigits(base9: string, century: 1900 | 2000 = 1900): string {
  if (!/^[0-9]{9}$/.test(base9)) throw new RangeError("withCheckDigits: base must be 9 digits");
  return base9 + pad(checkDigits(Number(base9), century), 2);
}
