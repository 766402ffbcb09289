// The patient in the audit trail: a keyed pseudonym, so the trail can say "the same patient"
// without holding the NISS (a plain hash of a NISS is reversed by trying the ~10^8 valid numbers).
import { createHmac } from "node:crypto";
import type { PatientKey } from "../identifiers/patient-key.js";

export function patientPseudonym(key: Buffer, patientKey: PatientKey): string {
  return createHmac("sha256", key)
    .update("mcn-rights patient\0", "utf8")
    .update(patientKey, "utf8")
    .digest("hex");
}
