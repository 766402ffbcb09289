// Identifier checks as the simulated platform applies them (domain-rules §1–§3; independent of
// src/identifiers). Only what the platform needs to refuse or route a question.

export type NissCheck = "ok" | "format" | "checksum" | "month";

// IT000 / KB 25 Nov 1997: CC = 97 − (first nine digits mod 97); born 2000 or later, the same on
// "2" followed by the nine digits. BIS numbers (KB 8 Feb 1991 art. 2) use month + 20 (sex
// unknown) or + 40 (sex known); valid months 00–12, 20–32, 40–52.
function nissCheckDigits(nine: string, born2000: boolean): string {
  const n = BigInt((born2000 ? "2" : "") + nine);
  return String(97n - (n % 97n)).padStart(2, "0");
}

export function checkNiss(value: string): NissCheck {
  if (!/^\d{11}$/.test(value)) return "format";
  const nine = value.slice(0, 9);
  const cc = value.slice(9);
  if (nissCheckDigits(nine, false) !== cc && nissCheckDigits(nine, true) !== cc) return "checksum";
  const month = Number(value.slice(2, 4));
  const monthOk = month <= 12 || (month >= 20 && month <= 32) || (month >= 40 && month <= 52);
  return monthOk ? "ok" : "month";
}

/**
 * A NISS for a synthetic person: birth `YYYY-MM-DD` (month/day 00 = unknown, as issued),
 * sequence 0–999, optionally a BIS number.
 */
export function syntheticNiss(
  birthDate: string,
  sequence: number,
  bis?: "sex-known" | "sex-unknown",
): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (m === null || !Number.isInteger(sequence) || sequence < 0 || sequence > 999)
    throw new RangeError("syntheticNiss: YYYY-MM-DD and a sequence 0–999");
  const year = Number(m[1]);
  const month = Number(m[2]) + (bis === "sex-known" ? 40 : bis === "sex-unknown" ? 20 : 0);
  const nine = `${m[1]!.slice(2)}${String(month).padStart(2, "0")}${m[3]}${String(sequence).padStart(3, "0")}`;
  return nine + nissCheckDigits(nine, year >= 2000);
}

/** NIHII: 8 or 11 digits, check pair 97 − base mod 97, or 89 − base mod 89 (domain-rules §2.2). */
export function isNihii(value: string): boolean {
  if (!/^(\d{8}|\d{11})$/.test(value)) return false;
  const base = Number(value.slice(0, 6));
  const cc = Number(value.slice(6, 8));
  return cc === 97 - (base % 97) || cc === 89 - (base % 89);
}

/** A NIHII built on a 6-digit base with the mod-97 pair, optionally with a 3-digit qualification. */
export function syntheticNihii(base6: number, qualification = ""): string {
  if (!Number.isInteger(base6) || base6 < 0 || base6 > 999_999 || !/^(\d{3})?$/.test(qualification))
    throw new RangeError("syntheticNihii: a base 0–999999 and an optional 3-digit qualification");
  return `${String(base6).padStart(6, "0")}${String(97 - (base6 % 97)).padStart(2, "0")}${qualification}`;
}

/** The national unions that answer the platform (one digit ×100, genins `InsuranceOrgInOneCharType`). */
export type Union = 100 | 200 | 300 | 400 | 500 | 600 | 900;

/**
 * The union a mutuality code is routed to: pattern 750|999|[1-69]xx (genins `MutualityType`);
 * the first digit ×100, except 750 (seafarers) and 999 (OSSOM), served through CAAMI (600).
 */
export function unionOfMutuality(code: string): Union | undefined {
  if (!/^(750|999|[1-69]\d\d)$/.test(code)) return undefined;
  if (code === "750" || code === "999") return 600;
  return (Number(code[0]) * 100) as Union;
}

/** `RegNrWithMut`: opaque, 1–13 characters (`RegNrWithMutType`), not only spaces, printable. */
export function isRegistrationNumber(value: string): boolean {
  const chars = [...value];
  if (chars.length === 0 || chars.length > 13 || value.trim() === "") return false;
  return chars.every((c) => {
    const cp = c.codePointAt(0) ?? 0;
    return cp >= 0x20 && !(cp >= 0x7f && cp <= 0x9f) && !(cp >= 0xd800 && cp <= 0xdfff);
  });
}
