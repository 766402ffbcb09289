// A consultation request read and checked before anything else happens (SPEC §1.1, §1.3): bad
// input gets a precise code and never reaches MyCareNet.
import { brusselsDay, compareDays, isDay, type Day } from "../commitment/index.js";
import { CodedError } from "../errors.js";
import { parseMutuality, parseNiss, parseRegistrationNumber } from "../identifiers/index.js";
import type { PatientIdentification } from "../identifiers/patient.js";
import { patientKeyOf, type PatientKey } from "../identifiers/patient-key.js";

export interface Question {
  readonly patient: PatientIdentification;
  readonly patientKey: PatientKey;
  readonly deliveryDate: Day;
  readonly consultedOn: Day;
  /** The instant the question was read: the consultation's time, whatever happens next. */
  readonly consultedAt: Date;
  readonly reference: string;
}

export interface QuestionBody {
  patient: { niss?: string; mutuality?: string; registrationNumber?: string };
  deliveryDate?: string;
  reference: string;
}

export function readPatient(raw: QuestionBody["patient"]): PatientIdentification {
  const hasNiss = raw.niss !== undefined;
  const hasReg = raw.mutuality !== undefined || raw.registrationNumber !== undefined;
  if (hasNiss === hasReg) throw new CodedError("PATIENT_IDENTIFICATION");
  if (hasNiss) {
    const niss = parseNiss(raw.niss as string);
    if (!niss.ok) throw new CodedError(niss.code);
    return { niss: niss.value.normalized };
  }
  if (raw.mutuality === undefined || raw.registrationNumber === undefined)
    throw new CodedError("PATIENT_IDENTIFICATION");
  const mutuality = parseMutuality(raw.mutuality);
  if (!mutuality.ok) throw new CodedError(mutuality.code);
  const reg = parseRegistrationNumber(raw.registrationNumber);
  if (!reg.ok) throw new CodedError(reg.code);
  return { mutuality: mutuality.value.code, registrationNumber: reg.value };
}

/**
 * A date a question is about (a delivery, a commitment looked up): a real `YYYY-MM-DD` day
 * (DATE_FORMAT), and not after `today` in Brussels (DATE_IN_FUTURE). SPEC §1.3: the delivery
 * date may be earlier than or equal to the consultation date, never later.
 */
export function readPastDay(value: string, today: Day): Day {
  if (!isDay(value)) throw new CodedError("DATE_FORMAT");
  if (compareDays(value, today) > 0) throw new CodedError("DATE_IN_FUTURE");
  return value;
}

export function readQuestion(body: QuestionBody, now: Date): Question {
  const patient = readPatient(body.patient);
  const consultedOn = brusselsDay(now);
  const deliveryDate = readPastDay(body.deliveryDate ?? consultedOn, consultedOn);
  return {
    patient,
    patientKey: patientKeyOf(patient),
    deliveryDate,
    consultedOn,
    consultedAt: now,
    reference: body.reference,
  };
}
