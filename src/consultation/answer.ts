// The domain reading of a GetInsurabilityForPharmacistResponse (protocol notes §1.4): what the
// daemon keeps from the wire, and what the simulator's insurers produce before it is written.
import type { Day } from "../commitment/index.js";

export type ThirdPartyPayerRegime = "none" | "standard" | "elevated";

export const THIRD_PARTY_PAYER_REGIMES: readonly ThirdPartyPayerRegime[] = ["none", "standard", "elevated"];

/** `ReturnInfo/ReturnCode`: Major (2), Minor (2), Detail (5) characters. */
export interface ReturnCode {
  major: string;
  minor: string;
  detail: string;
}

/**
 * What an answer means for the pharmacy, read from its structure first (Coverage present:
 * insured) and from its return code after. Business answers ("insured", "no-right",
 * "unknown-patient", "unknown" — a code the table lacks, …) are answers; only
 * "insurer-unavailable" is an outage (see `isOutage` in return-codes.ts; SPEC §1.4).
 */
export type AnswerKind =
  | "insured"
  | "no-right"
  | "unknown-patient"
  | "date-in-future"
  | "bad-input"
  | "multiple-insurers"
  | "insurer-unavailable"
  | "unknown";

/** `InsurabilityResponse/CareReceiver`; every field is optional on the wire. */
export interface AnswerPatient {
  niss?: string;
  mutuality?: string;
  /** Verbatim, spaces and letters kept (SPEC §1.1). */
  registrationNumber?: string;
  firstName?: string;
  lastName?: string;
  birthDate?: Day;
  deceased?: Day;
  sex?: "male" | "female";
}

/** `Coverage`: the period MyCareNet guarantees and the entitlement in force at its start. */
export interface AnswerCoverage {
  communicated: Day;
  start: Day;
  end: Day;
  ct1: string;
  ct2: string;
  thirdPartyPayerRegime: ThirdPartyPayerRegime;
}

/** `Verification`: the payment commitment (SPEC §1.3), forwarded untouched. */
export interface AnswerVerification {
  /** Exactly 32 characters. */
  paymentApproval?: string;
  /** Exactly 10 characters. */
  paymentApprovalSeed?: string;
  /** Exactly 2 characters: the pricing office (OT) control code. */
  invoicingOfficeCheckDigit: string;
}

export interface InsurabilityAnswer {
  returnCode: ReturnCode;
  kind: AnswerKind;
  /** Set when the return code is not in the table (or contradicts the answer's structure). */
  unknownCode?: true;
  /** `InsurabilityResponse/Requested`: the date asked about. */
  requested?: Day;
  patient: AnswerPatient;
  coverage?: AnswerCoverage;
  verification?: AnswerVerification;
  /** `ReturnInfo/MultipleIO`: one-digit national unions (1–6, 9) that claim the patient. */
  multipleIo?: string[];
  /** `RecordCommonOutput/Reference`: the echo of our request reference. */
  reference?: string;
  /** `RecordCommonOutput/IoReference`: the insurer's reference for this record. */
  ioReference?: string;
  /** `RecordCommonOutput/UserReference`: the echo of our user reference. */
  userReference?: string;
  /** `CommonOutput/Reference`: the platform's reference for the message (14 characters). */
  platformReference?: string;
  /** `CommonOutput/IoReference`: the insurer's reference for the message (14 characters). */
  platformIoReference?: string;
  /** The response's `wsa:MessageID` header: pharmacy software keeps it as proof (notes §1.4). */
  messageId?: string;
}
