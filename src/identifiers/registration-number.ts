// Registration number with the mutuality (numéro d'inscription, `RegNrWithMut`): SPEC §1.1,
// domain-rules §3.2. Its format belongs to each insurer (`000113 044M86`), so it is opaque: kept
// verbatim, with its spaces and letters, never trimmed or re-cased, and sent back as received.
import { fail, ok } from "../result.js";
import type { Result } from "../result.js";

// `RegNrWithMutType` is an xs:string of maxLength 13, which counts characters (code points),
// not UTF-16 units.
const MAX_CHARACTERS = 13;

export function parseRegistrationNumber(input: string): Result<string, "REGISTRATION_NUMBER_FORMAT"> {
  if (typeof input !== "string") return fail("REGISTRATION_NUMBER_FORMAT");
  const characters = [...input];
  if (characters.length === 0 || characters.length > MAX_CHARACTERS) {
    return fail("REGISTRATION_NUMBER_FORMAT");
  }
  // Only spaces identifies no one: refused like the empty string (a check, not a trim).
  if (input.trim() === "") return fail("REGISTRATION_NUMBER_FORMAT");
  if (!characters.every(isPrintable)) return fail("REGISTRATION_NUMBER_FORMAT");
  return ok(input);
}

// The value goes back into XML: control characters (C0, DEL, C1, which also covers tab and line
// breaks), lone surrogates and the non-characters U+FFFE/U+FFFF are refused.
function isPrintable(character: string): boolean {
  const cp = character.codePointAt(0) ?? 0;
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return false;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  return cp !== 0xfffe && cp !== 0xffff;
}
