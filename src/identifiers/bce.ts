// BCE / KBO enterprise numbers (SPEC §1.6, brochure §8.2.2.5: a service provider is identified
// by its registration at the Banque-Carrefour des Entreprises): 10 digits, the first 0 or 1, the
// last two = 97 − (first 8 mod 97). Written `0403.170.701` or `BE 0403 170 701`; the 9-digit
// form of the old VAT numbers is not accepted (ambiguous once the leading 0 is lost).
import { fail, ok } from "../result.js";
import type { Result } from "../result.js";

export type BceErrorCode = "BCE_FORMAT" | "BCE_CHECKSUM";

const SEPARATORS = /[ ./-]/g;
const SHAPE = /^[01][0-9]{9}$/;

const checkOf = (base8: number): number => 97 - (base8 % 97);

/** The number's 10 digits, or the precise reason it is not one. */
export function parseBce(input: string): Result<{ normalized: string }, BceErrorCode> {
  if (typeof input !== "string") return fail("BCE_FORMAT");
  const normalized = input.replace(SEPARATORS, "").replace(/^BE/i, "");
  if (!SHAPE.test(normalized)) return fail("BCE_FORMAT");
  if (checkOf(Number(normalized.slice(0, 8))) !== Number(normalized.slice(8))) return fail("BCE_CHECKSUM");
  return ok({ normalized });
}

/** A valid number from its first 8 digits (0–19999999); RangeError otherwise. */
export function makeBce(base8: number): string {
  if (!Number.isInteger(base8) || base8 < 0 || base8 > 19_999_999)
    throw new RangeError("makeBce: base8 must be an integer 0–19999999");
  return `${String(base8).padStart(8, "0")}${String(checkOf(base8)).padStart(2, "0")}`;
}
