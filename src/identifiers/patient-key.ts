// The stable key under which the store files a patient (SPEC §1.1: a patient is identified by
// NISS, or — when no NISS is known — by mutuality + registration number).

/** `niss:<11 digits>` or `reg:<mutuality>:<registration number verbatim>`. */
export type PatientKey = `niss:${string}` | `reg:${string}:${string}`;

const NISS_KEY = /^niss:[0-9]{11}$/;
// SPEC §1.1: the registration number is opaque, 1–13 characters, kept exactly as received.
const REG_KEY = /^reg:(750|999|[1-69][0-9]{2}):(.{1,13})$/su;

export function isPatientKey(value: string): value is PatientKey {
  return NISS_KEY.test(value) || REG_KEY.test(value);
}

/**
 * The key of an already validated identification (src/identifiers checks NISS, mutuality and
 * registration number). Throws RangeError when the shape is wrong: that is a programming error.
 */
export function patientKeyOf(
  patient: { niss: string } | { mutuality: string; registrationNumber: string },
): PatientKey {
  const key =
    "niss" in patient ? `niss:${patient.niss}` : `reg:${patient.mutuality}:${patient.registrationNumber}`;
  if (!isPatientKey(key))
    throw new RangeError("not a patient identification (NISS, or mutuality + registration number)");
  return key;
}

/** The identification a key stands for (the registration number comes back verbatim). */
export function patientOfKey(
  key: PatientKey,
): { niss: string } | { mutuality: string; registrationNumber: string } {
  if (key.startsWith("niss:")) return { niss: key.slice("niss:".length) };
  const match = REG_KEY.exec(key);
  if (match?.[1] === undefined || match[2] === undefined) throw new RangeError("not a patient key");
  return { mutuality: match[1], registrationNumber: match[2] };
}
