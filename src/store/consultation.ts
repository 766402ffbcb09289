// What the store keeps of a consultation (SPEC §4: "one consultation as stored"), online or
// fallback, and the checks a record passes before anything is written.
import type { Day } from "../commitment/index.js";
import { isDay } from "../commitment/index.js";
import type { Guarantee, Outcome } from "../fallback/index.js";
import type { ActorRole } from "./audit.js";
import type { CommitmentInput } from "./commitments.js";
import type { LastOnlineInput } from "./known-patients.js";
import { isPatientKey } from "../identifiers/patient-key.js";
import type { ConsultationView } from "../consultation/document.js";
import type { PatientKey } from "../identifiers/patient-key.js";

/** SPEC §1.4: why the online consultation was impossible, where the tree went, what it still asks. */
export interface FallbackState {
  /** The technical failure that started the fallback (a transport or SOAP error code). */
  reason: string;
  path: number[];
  question: { node: number; code: string } | null;
}

export interface ConsultationRecord {
  /** Defaults to a new UUID; give it when the answer JSON must carry it. */
  id?: string;
  /** The dispensing software's reference for the delivery (SPEC §1.6). */
  reference: string;
  patientKey: PatientKey;
  deliveryDate: Day;
  consultedAt: Date;
  /** The API principal (token name) and its role. */
  principal: string;
  role: ActorRole;
  /** NIHII of the session's pharmacist (SPEC §1.5), null when unknown; stored, never logged. */
  sessionUser?: string | null;
  /** RecordCommonInput/Reference of the upstream request, for support with MyCareNet. */
  upstreamReference?: string;
  outcome: Outcome;
  guarantee: Guarantee;
  insured?: boolean;
  /** The consultation document as given to the client (stored at DOCUMENT_VERSION). */
  answer: ConsultationView;
  upstreamXml?: string;
  warnings?: readonly string[];
  /** Present exactly when the outcome is not `online`; the delivery is then queued for recall. */
  fallback?: FallbackState;
  /** The commitment an online answer gave. */
  commitment?: CommitmentInput;
  /** The stored commitment a `reused-commitment` outcome used. */
  reusedCommitmentId?: string;
  /** What an online answer said of the patient (known-patient data for node 5). */
  knownPatient?: LastOnlineInput;
  /**
   * An online "no right" answer: older commitments no longer serve this day and later ones
   * (SPEC §1.3 reuse).
   */
  noRightFrom?: Day;
  /** Another prescription answered from the cache: the consultation whose answer it shares. */
  sharesConsultation?: string;
}

export interface ConsultationSummary {
  id: string;
  reference: string;
  patientKey: PatientKey;
  deliveryDate: Day;
  consultedAt: string;
  consultedOn: Day;
  principal: string;
  role: ActorRole;
  outcome: Outcome;
  guarantee: Guarantee;
  /** The consultation whose MyCareNet answer this one shares (a prescription of the group), or null. */
  sharesConsultation: string | null;
  /** `on`: the day the delivery took place (null for a confirmation stored before V4). */
  delivery: { at: string; by: string; on: Day | null } | null;
}

export interface StoredConsultation extends ConsultationSummary {
  sessionUser: string | null;
  upstreamReference: string | null;
  insured: boolean | null;
  /** The document, upgraded to DOCUMENT_VERSION, with the delivery as confirmed. */
  answer: ConsultationView;
  upstreamXml: string | null;
  warnings: string[];
  fallback: FallbackState | null;
  reusedCommitmentId: string | null;
}

/** After the pharmacist's answers (SPEC §1.4 nodes 5–8). */
export interface OutcomeUpdate {
  outcome: Exclude<Outcome, "online">;
  guarantee: Guarantee;
  insured?: boolean;
  answer: ConsultationView;
  warnings?: readonly string[];
  fallback: FallbackState;
}

/** One entry of the dispensing software's change feed, oldest first. */
export interface ConsultationChange {
  seq: number;
  consultationId: string;
  kind: "recall-resolved" | "delivery-confirmed";
  at: string;
}

/**
 * Programming errors, refused before anything is written (the table constraints refuse the same
 * again, so a record that slips past still changes nothing).
 */
export function checkRecord(rec: ConsultationRecord): void {
  if (!isPatientKey(rec.patientKey)) throw new RangeError("consultation: not a patient key");
  if (!isDay(rec.deliveryDate)) throw new RangeError("consultation: the delivery date is not a calendar day");
  if (Number.isNaN(rec.consultedAt.getTime()))
    throw new RangeError("consultation: consultedAt is not a date");
  // SPEC §1.6: the pricing office's answers are not stored beyond the audit trail.
  if (rec.role === "pricing-office")
    throw new RangeError("consultation: a pricing-office answer is not stored");
  const online = rec.outcome === "online";
  if (online === (rec.fallback !== undefined)) {
    throw new RangeError(
      "consultation: the fallback state comes with every outcome but online, and only then",
    );
  }
  if (!online && (rec.commitment !== undefined || rec.knownPatient !== undefined)) {
    throw new RangeError(
      "consultation: a new commitment or known-patient data comes only from an online answer",
    );
  }
  if ((rec.outcome === "reused-commitment") !== (rec.reusedCommitmentId !== undefined)) {
    throw new RangeError(
      "consultation: a reused commitment goes with the reused-commitment outcome, and only then",
    );
  }
  if (rec.answer === undefined) throw new RangeError("consultation: the answer is missing");
  if (rec.noRightFrom !== undefined && (rec.outcome !== "online" || rec.insured !== false))
    throw new RangeError("consultation: only an online answer without right ends older commitments");
}
