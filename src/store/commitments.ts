// Stored payment commitments (SPEC §1.3): kept for reuse during an outage (brochure §5.3), and
// only as long as the retention allows (retention.ts).
import type Database from "better-sqlite3";
import { addDays, chooseReusable } from "../commitment/index.js";
import type { Coverage, Day, RightLoss } from "../commitment/index.js";
import type { PatientKey } from "../identifiers/patient-key.js";

import type { Regime, StoredCommitmentRow } from "../consultation/records.js";

export type { Regime, StoredCommitmentRow } from "../consultation/records.js";

/** What an online answer gives; the store adds the patient, the day and the instant. */
export interface CommitmentInput {
  paymentApproval: string;
  paymentApprovalSeed: string;
  /** The OT control code (two opaque characters). */
  invoicingOfficeCheckDigit: string;
  /** The period as MyCareNet sent it. */
  coverage: Coverage;
  /** The window it serves (brochure §5.2); defaults to `coverage`. Null: it serves nothing. */
  window?: Coverage | null;
  ct1: string;
  ct2: string;
  mutuality?: string;
  regime?: Regime;
}

interface Row {
  consultation_id: string;
  patient_key: string;
  payment_approval: string;
  payment_approval_seed: string;
  invoicing_office_check_digit: string;
  coverage_start: string;
  coverage_end: string;
  window_start: string | null;
  window_end: string | null;
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
  // An empty window (end before start) serves no day (migration V4).
  coverage: { start: r.window_start ?? r.coverage_start, end: r.window_end ?? r.coverage_end },
  sentCoverage: { start: r.coverage_start, end: r.coverage_end },
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
// The window served never ends after MyCareNet's period, so the clustered range on coverage_end
// still holds every candidate.
export const CANDIDATES_SQL =
  "SELECT * FROM commitments WHERE patient_key = @patientKey AND coverage_end >= @day" +
  " AND window_end >= @day AND window_start <= @day AND consulted_on <= @day";

const LOSSES_SQL =
  "SELECT from_day, observed_at FROM right_losses WHERE patient_key = @patientKey AND from_day <= @day";

export class CommitmentTable {
  readonly #insert: Database.Statement<[Row]>;
  readonly #forPatient: Database.Statement<[string], Row>;
  readonly #coveringUpTo: Database.Statement<[{ patientKey: string; day: string }], Row>;
  readonly #losses: Database.Statement<
    [{ patientKey: string; day: string }],
    { from_day: string; observed_at: string }
  >;
  readonly #insertLoss: Database.Statement<[string, string, string, string]>;

  constructor(db: Database.Database) {
    this.#insert = db.prepare(
      `INSERT INTO commitments (consultation_id, patient_key, payment_approval, payment_approval_seed,
         invoicing_office_check_digit, coverage_start, coverage_end, window_start, window_end,
         consulted_on, obtained_at, ct1, ct2, mutuality, regime)
       VALUES (@consultation_id, @patient_key, @payment_approval, @payment_approval_seed,
         @invoicing_office_check_digit, @coverage_start, @coverage_end, @window_start, @window_end,
         @consulted_on, @obtained_at, @ct1, @ct2, @mutuality, @regime)`,
    );
    this.#losses = db.prepare(LOSSES_SQL);
    this.#insertLoss = db.prepare(
      "INSERT INTO right_losses (consultation_id, patient_key, from_day, observed_at) VALUES (?, ?, ?, ?)",
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
      // An empty window (the day after the end as start) when nothing can be relied on.
      window_start: c.window === null ? addDays(c.coverage.end, 1) : (c.window ?? c.coverage).start,
      window_end: c.window === null ? c.coverage.end : (c.window ?? c.coverage).end,
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

  /**
   * SPEC §1.3 reuse: the commitment obtained last that may serve this delivery date, unless a
   * later "no right" answer covers the date.
   */
  find(patientKey: PatientKey, deliveryDate: Day): StoredCommitmentRow | undefined {
    const params = { patientKey, day: deliveryDate };
    const losses: RightLoss[] = this.#losses
      .all(params)
      .map((l) => ({ from: l.from_day, observedAt: l.observed_at }));
    return chooseReusable(this.#coveringUpTo.all(params).map(toCommitment), deliveryDate, losses);
  }

  /** Inside recordConsultation's transaction: an online answer said "no right" at `from`. */
  noteRightLoss(consultationId: string, patientKey: PatientKey, from: Day, observedAt: string): void {
    this.#insertLoss.run(consultationId, patientKey, from, observedAt);
  }
}
