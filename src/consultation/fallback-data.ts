// What the pharmacist reads from a SIS card (node 6) or another document such as a mutuality
// sticker (node 8) when MyCareNet cannot answer (SPEC §1.4, brochure §9.2): CT1/CT2, the
// mutuality and the registration number — checked with the same rules as online data.
import { parseMutuality, parseRegistrationNumber } from "../identifiers/index.js";
import { fail, ok } from "../result.js";
import type { Result } from "../result.js";

export interface DocumentDataInput {
  ct1?: string;
  ct2?: string;
  mutuality?: string;
  registrationNumber?: string;
}

export interface DocumentData {
  ct1: string;
  ct2: string;
  mutuality: string;
  /** Kept exactly as read (SPEC §1.1); null when the document shows none. */
  registrationNumber: string | null;
}

export type DocumentField = keyof DocumentDataInput;

// SPEC §1.2: CT1 and CT2 are two 3-digit codes (domain-rules §4; the sticker prints them).
const CT = /^[0-9]{3}$/;

/** `detail.field` names the first field that is missing or wrong, `detail.reason` says which. */
export function readDocumentData(input: DocumentDataInput): Result<DocumentData, "FALLBACK_DATA_INVALID"> {
  const bad = (field: DocumentField, reason: "missing" | "format") =>
    fail("FALLBACK_DATA_INVALID" as const, { field, reason });
  for (const field of ["ct1", "ct2"] as const) {
    const value = input[field];
    if (value === undefined) return bad(field, "missing");
    if (!CT.test(value)) return bad(field, "format");
  }
  if (input.mutuality === undefined) return bad("mutuality", "missing");
  const mutuality = parseMutuality(input.mutuality);
  if (!mutuality.ok) return bad("mutuality", "format");
  let registrationNumber: string | null = null;
  if (input.registrationNumber !== undefined) {
    const reg = parseRegistrationNumber(input.registrationNumber);
    if (!reg.ok) return bad("registrationNumber", "format");
    registrationNumber = reg.value;
  }
  return ok({
    ct1: input.ct1 as string,
    ct2: input.ct2 as string,
    mutuality: mutuality.value.code,
    registrationNumber,
  });
}
