// Stored payment commitments (SPEC §1.3): kept for reuse during an outage (brochure §5.3), and
// only as long as the retention allows (retention.ts).
import type Database from "better-sqlite3";
import { chooseReusable } from "../commitment/index.js";
import type { Coverage, Day, StoredCommitment } from "../commitment/index.js";
import type { PatientKey } from "./patient-key.js";

export type Regime = "none" | "standard" | "elevated";

/** What an online answer gives; the store adds the patient, the day and the instant. */
export interface CommitmentInput {
  paymentApproval: string;
  paymentApprovalSeed: string;
  /** The OT control code (two opaque characters). */
  invoicingOfficeCheckDigit: string;
  coverage: Coverage;
  ct1: string;
  ct2: string;
  mutuality?: string;
  regime?: Regime;
}

/** `id` is the id of the consultation that obtained the commitment. */
export interface StoredCommitmentRow extends StoredCommitment {
  consultationId: string;
  patientKey: PatientKey;
  paymentApproval: string;
  paymentApprovalSeed: string;
  invoicingOfficeCheckDigit: string;
  ct1: string;
  ct2: string;
  mutuality: string | null;
  regime: Regime | null;
}

interface Row {
  consultation_id: string;
  patient_key: string;
  payment_approval: string;
  payment_approval_seed: string;
  invoicing_office_check_digit: string;
  coverage_start: string;
  coverage_end: string;
  consulted_on: string;
  obtained_at: string;
  ct1: string;
  ct2: string;
  mutuality: string | null;
  regime: string | null;
}

const toCommitment = (r: Row): StoredCommitmentRow => ({
  id: r.consultation_id,
  consultationId: r.consultation_id,
  patientKey: r.patient_key as PatientKey,
  consultedOn: r.consulted_on,
  coverage: { start: r.coverage_start, end: r.coverage_end },
  obtainedAt: r.obtained_at,
  paymentApproval: r.payment_approval,
  paymentApprovalSeed: r.payment_approval_seed,
  invoicingOfficeCheckDigit: r.invoicing_office_check_digit,
  ct1: r.ct1,
  ct2: r.ct2,
  mutuality: r.mutuality,
  regime: r.regime as Regime | null,
});

// The candidates for a delivery date: same patient, coverage ending on or after it — one range of
// the table's clustered key (patient_key, coverage_end), which also fixes their order, so ties are
// broken the same way every time. The reuse rule itself stays in src/commitment; the range is
// narrowed here by two of its conditions (coverage started, obtained by then), so that SQLite
// skips the patient's other commitments instead of handing each to JavaScript (about 1 row
// instead of 10, 33 µs instead of 75 µs per look-up among 1 000 000 commitments).
export const CANDIDATES_SQL =
  "SELECT * FROM commitments WHERE patient_key = @patientKey AND coverage_end >= @day" +
  " AND coverage_start <= @day AND consulted_on <= @day";

export class CommitmentTable {
  readonly #insert: Database.Statement<[Row]>;
  readonly #forPatient: Database.Statement<[string], Row>;
  readonly #coveringUpTo: Database.Statement<[{ patientKey: string; day: string }], Row>;

  constructor(db: Database.Database) {
    this.#insert = db.prepare(
      `INSERT INTO commitments (consultation_id, patient_key, payment_approval, payment_approval_seed,
         invoicing_office_check_digit, coverage_start, coverage_end, consulted_on, obtained_at, ct1, ct2,
         mutuality, regime)
       VALUES (@consultation_id, @patient_key, @payment_approval, @payment_approval_seed,
         @invoicing_office_check_digit, @coverage_start, @coverage_end, @consulted_on, @obtained_at, @ct1,
         @ct2, @mutuality, @regime)`,
    );
    this.#forPatient = db.prepare(
      "SELECT * FROM commitments WHERE patient_key = ? ORDER BY obtained_at, consultation_id",
    );
    this.#coveringUpTo = db.prepare(CANDIDATES_SQL);
  }

  /** Called inside recordConsultation's transaction. */
  insert(
    consultationId: string,
    patientKey: PatientKey,
    consultedOn: Day,
    obtainedAt: string,
    c: CommitmentInput,
  ): StoredCommitmentRow {
    const row: Row = {
      consultation_id: consultationId,
      patient_key: patientKey,
      payment_approval: c.paymentApproval,
      payment_approval_seed: c.paymentApprovalSeed,
      invoicing_office_check_digit: c.invoicingOfficeCheckDigit,
      coverage_start: c.coverage.start,
      coverage_end: c.coverage.end,
      consulted_on: consultedOn,
      obtained_at: obtainedAt,
      ct1: c.ct1,
      ct2: c.ct2,
      mutuality: c.mutuality ?? null,
      regime: c.regime ?? null,
    };
    this.#insert.run(row);
    return toCommitment(row);
  }

  /** Every stored commitment of the patient, oldest obtained first. */
  forPatient(patientKey: PatientKey): StoredCommitmentRow[] {
    return this.#forPatient.all(patientKey).map(toCommitment);
  }

  /** SPEC §1.3 reuse: the commitment obtained last that may serve this delivery date. */
  find(patientKey: PatientKey, deliveryDate: Day): StoredCommitmentRow | undefined {
    return chooseReusable(
      this.#coveringUpTo.all({ patientKey, day: deliveryDate }).map(toCommitment),
      deliveryDate,
    );
  }
}
