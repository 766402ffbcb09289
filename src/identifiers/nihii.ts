// NIHII / INAMI / RIZIV numbers: SPEC §1.1, domain-rules §2.
// 8 digits = 6-digit base + 2 check digits (organisations, pharmacies); 11 digits = those 8 (the
// person's identity for a whole career) + a 3-digit qualification that the check does not cover.
import { fail, ok } from "../result.js";
import type { Result } from "../result.js";

export type NihiiScheme = "mod97" | "mod89" | "both";

export interface Nihii {
  normalized: string;
  /**
   * The form of the number: 8 digits is how organisations (pharmacies) are numbered, 11 digits
   * a person with a qualification. A person's 8-digit short form (e.g. `10829059`, domain-rules
   * §2.4) cannot be told apart and reads "organisation": callers that need a person require 11.
   */
  kind: "organisation" | "person";
  /** The first 8 digits: base + check (domain-rules §2.1: not the first 6, see mod 89). */
  identity: string;
  /** Which check rule the check digits satisfy; "both" for the 1 % of bases where they agree. */
  scheme: NihiiScheme;
  /** The last 3 digits of a person's number, null for 8 digits. */
  qualification: string | null;
  /**
   * Titular pharmacist (holder): pharmacist profession digit `2` and qualification `001`
   * (domain-rules §2.1, `2/…/…/001`; `002` assistant, `003` replacement). The profession digit
   * is required: other professions use `001` for unrelated qualifications.
   */
  titularPharmacist: boolean;
}

export type NihiiErrorCode = "NIHII_FORMAT" | "NIHII_CHECKSUM";

const SEPARATORS = /[ ./-]/g;
const DIGITS_8_OR_11 = /^(?:[0-9]{8}|[0-9]{11})$/;

// Scheme A (historic) 97 − base mod 97 gives 01–97; scheme B (RIZIV note I 2012/26, doctors
// from 1 April 2019) 89 − base mod 89 gives 01–89. Neither can give 00, so `00` never validates.
const mod97Check = (base6: number): number => 97 - (base6 % 97);
const mod89Check = (base6: number): number => 89 - (base6 % 89);

export function parseNihii(input: string): Result<Nihii, NihiiErrorCode> {
  if (typeof input !== "string") return fail("NIHII_FORMAT");
  const normalized = input.replace(SEPARATORS, "");
  if (!DIGITS_8_OR_11.test(normalized)) return fail("NIHII_FORMAT");

  const base6 = Number(normalized.slice(0, 6));
  const check = Number(normalized.slice(6, 8));
  const byMod97 = mod97Check(base6) === check;
  const byMod89 = mod89Check(base6) === check;
  if (!byMod97 && !byMod89) return fail("NIHII_CHECKSUM");

  const qualification = normalized.length === 11 ? normalized.slice(8) : null;
  return ok({
    normalized,
    kind: qualification === null ? "organisation" : "person",
    identity: normalized.slice(0, 8),
    scheme: byMod97 && byMod89 ? "both" : byMod97 ? "mod97" : "mod89",
    qualification,
    titularPharmacist: qualification === "001" && normalized.startsWith("2"),
  });
}

const QUALIFICATION = /^[0-9]{3}$/;

/**
 * Builds a valid number from a 6-digit base (0–999999): 8 digits, or 11 with a qualification.
 * The default scheme is mod 97, the one of the existing pharmacy numbers (`62599147`).
 * Throws a RangeError on arguments that cannot form a number (a programming error).
 */
export function makeNihii(
  base6: number,
  qualification?: string,
  scheme: "mod97" | "mod89" = "mod97",
): string {
  if (!Number.isInteger(base6) || base6 < 0 || base6 > 999_999) {
    throw new RangeError("makeNihii: base6 must be an integer 0–999999");
  }
  if (qualification !== undefined && !QUALIFICATION.test(qualification)) {
    throw new RangeError("makeNihii: qualification must be 3 digits");
  }
  const check = scheme === "mod89" ? mod89Check(base6) : mod97Check(base6);
  return `${String(base6).padStart(6, "0")}${String(check).padStart(2, "0")}${qualification ?? ""}`;
}
