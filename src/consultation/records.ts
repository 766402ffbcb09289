// The records the consultation document is built from: a stored payment commitment (SPEC §1.3)
// and a patient the pharmacy knows with what the last online answer said (SPEC §1.4 node 5).
// The store keeps them; their shape belongs to the domain.
import type { Coverage, Day, StoredCommitment } from "../commitment/index.js";
import type { PatientKey } from "../identifiers/patient-key.js";

export type Regime = "none" | "standard" | "elevated";

/**
 * `id` is the id of the consultation that obtained the commitment; `coverage` the window it
 * serves (brochure §5.2, the rule's), `sentCoverage` the period MyCareNet sent (for the invoice).
 */
export interface StoredCommitmentRow extends StoredCommitment {
  consultationId: string;
  sentCoverage: Coverage;
  patientKey: PatientKey;
  paymentApproval: string;
  paymentApprovalSeed: string;
  invoicingOfficeCheckDigit: string;
  ct1: string;
  ct2: string;
  mutuality: string | null;
  regime: Regime | null;
}

export interface KnownPatient {
  patientKey: PatientKey;
  /** null once that consultation has been purged. */
  lastConsultationId: string | null;
  lastConsultedAt: string;
  lastConsultedOn: Day;
  lastDeliveryDate: Day;
  insured: boolean;
  ct1: string | null;
  ct2: string | null;
  mutuality: string | null;
  registrationNumber: string | null;
  regime: Regime | null;
}
