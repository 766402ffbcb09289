// Consultations on disk. recordConsultation writes, in ONE transaction, everything a consultation
// brings: the consultation, its commitment, the known-patient data, the recall of a fallback
// delivery and the audit entry — all of it, or (on any failure) none of it.
import type Database from "better-sqlite3";
import { brusselsDay } from "../commitment/index.js";
import type { Day } from "../commitment/index.js";
import { CodedError } from "../errors.js";
import type { Guarantee, Outcome } from "../fallback/index.js";
import type { Actor, ActorRole, AuditTrail } from "./audit.js";
import type { CommitmentTable } from "./commitments.js";
import { checkRecord } from "./consultation.js";
import { monthBoundsOf } from "../purpose/month.js";
import {
  DOCUMENT_VERSION,
  upgradeDocument,
  type ConsultationView,
  type DocumentV1,
  type RecallOutcome,
} from "../consultation/document.js";
import type {
  ConsultationChange,
  ConsultationRecord,
  ConsultationSummary,
  FallbackState,
  OutcomeUpdate,
  StoredConsultation,
} from "./consultation.js";
import { inWriteTransaction } from "./database.js";
import type { KnownPatientTable } from "./known-patients.js";
import type { PatientKey } from "../identifiers/patient-key.js";
import type { RecallQueue } from "./recalls.js";

interface Row {
  id: string;
  reference: string;
  patient_key: string;
  delivery_date: string;
  consulted_at: string;
  consulted_on: string;
  principal: string;
  role: string;
  session_user: string | null;
  upstream_reference: string | null;
  outcome: string;
  guarantee: string;
  insured: number | null;
  answer_json: string;
  upstream_xml: string | null;
  warnings_json: string;
  fallback_json: string | null;
  reused_commitment_id: string | null;
  delivered_at: string | null;
  delivered_by: string | null;
  delivered_on: string | null;
  document_version: number;
  shares_consultation_id: string | null;
}

type SummaryRow = Pick<
  Row,
  | "id"
  | "reference"
  | "patient_key"
  | "delivery_date"
  | "consulted_at"
  | "consulted_on"
  | "principal"
  | "role"
  | "outcome"
  | "guarantee"
  | "delivered_at"
  | "delivered_by"
  | "delivered_on"
  | "shares_consultation_id"
>;

const SUMMARY_COLUMNS =
  "id, reference, patient_key, delivery_date, consulted_at, consulted_on, principal, role, outcome, guarantee, delivered_at, delivered_by, delivered_on, shares_consultation_id";

const toSummary = (r: SummaryRow): ConsultationSummary => ({
  id: r.id,
  reference: r.reference,
  patientKey: r.patient_key as PatientKey,
  deliveryDate: r.delivery_date,
  consultedAt: r.consulted_at,
  consultedOn: r.consulted_on,
  principal: r.principal,
  role: r.role as ActorRole,
  outcome: r.outcome as Outcome,
  guarantee: r.guarantee as Guarantee,
  sharesConsultation: r.shares_consultation_id,
  delivery:
    r.delivered_at === null || r.delivered_by === null
      ? null
      : { at: r.delivered_at, by: r.delivered_by, on: r.delivered_on },
});

// The one place a stored document is read back: its shape is the version written beside it.
function documentOf(r: Row): ConsultationView {
  const stored = JSON.parse(r.answer_json) as DocumentV1 | ConsultationView;
  const doc = upgradeDocument(stored, r.document_version);
  return {
    ...doc,
    // A confirmation stored before V4 has no day: the day it was confirmed on stands for it.
    delivery:
      r.delivered_at === null
        ? null
        : {
            confirmedAt: r.delivered_at,
            deliveredOn: r.delivered_on ?? brusselsDay(new Date(r.delivered_at)),
          },
  };
}

const toStored = (r: Row): StoredConsultation => ({
  ...toSummary(r),
  sessionUser: r.session_user,
  upstreamReference: r.upstream_reference,
  insured: r.insured === null ? null : r.insured === 1,
  answer: documentOf(r),
  upstreamXml: r.upstream_xml,
  warnings: JSON.parse(r.warnings_json) as string[],
  fallback: r.fallback_json === null ? null : (JSON.parse(r.fallback_json) as FallbackState),
  reusedCommitmentId: r.reused_commitment_id,
});

const jsonOf = (value: ConsultationView): string => {
  const text = JSON.stringify(value);
  if (text === undefined) throw new RangeError("consultation: the answer is not JSON");
  return text;
};

export interface ConsultationParts {
  db: Database.Database;
  audit: AuditTrail;
  commitments: CommitmentTable;
  knownPatients: KnownPatientTable;
  recalls: RecallQueue;
  now: () => Date;
  newId: () => string;
}

export class ConsultationTable {
  readonly #p: ConsultationParts;
  readonly #insert: Database.Statement<[Row]>;
  readonly #get: Database.Statement<[string], Row>;
  readonly #confirm: Database.Statement<[string, string, string, string]>;
  readonly #month: Database.Statement<[string, string], SummaryRow>;
  readonly #update: Database.Statement<[Record<string, string | number | null>]>;
  readonly #pending: Database.Statement<[number], Row>;
  readonly #change: Database.Statement<[string, string, string]>;
  readonly #changes: Database.Statement<[number, string, number], ConsultationChange>;
  readonly #noteRecall: Database.Statement<[string, string]>;
  readonly #byReference: Database.Statement<[string, string, string], Row>;

  constructor(parts: ConsultationParts) {
    this.#p = parts;
    const { db } = parts;
    this.#insert = db.prepare(
      `INSERT INTO consultations (id, reference, patient_key, delivery_date, consulted_at, consulted_on,
         principal, role, session_user, upstream_reference, outcome, guarantee, insured, answer_json,
         upstream_xml, warnings_json, fallback_json, reused_commitment_id, delivered_at, delivered_by,
         delivered_on, document_version, shares_consultation_id)
       VALUES (@id, @reference, @patient_key, @delivery_date, @consulted_at, @consulted_on, @principal,
         @role, @session_user, @upstream_reference, @outcome, @guarantee, @insured, @answer_json,
         @upstream_xml, @warnings_json, @fallback_json, @reused_commitment_id, @delivered_at, @delivered_by,
         @delivered_on, @document_version, @shares_consultation_id)`,
    );
    this.#get = db.prepare("SELECT * FROM consultations WHERE id = ?");
    this.#confirm = db.prepare(
      `UPDATE consultations SET delivered_at = ?, delivered_by = ?, delivered_on = ?
       WHERE id = ? AND delivered_at IS NULL`,
    );
    this.#change = db.prepare(
      "INSERT INTO consultation_changes (consultation_id, kind, at) VALUES (?, ?, ?)",
    );
    // Only what the retention keeps: the purge removes the changes with their consultation.
    this.#changes = db.prepare(
      `SELECT ch.seq, ch.consultation_id AS consultationId, ch.kind, ch.at FROM consultation_changes ch
       JOIN consultations c ON c.id = ch.consultation_id
       WHERE ch.seq > ? AND c.consulted_on >= ? ORDER BY ch.seq LIMIT ?`,
    );
    this.#byReference = db.prepare(
      `SELECT * FROM consultations WHERE patient_key = ? AND delivery_date = ? AND reference = ?
       ORDER BY consulted_at DESC, id DESC LIMIT 1`,
    );
    // The document is rewritten at the current version: it was read (and upgraded) just before.
    this.#noteRecall = db.prepare(
      `UPDATE consultations SET answer_json = ?, document_version = ${DOCUMENT_VERSION} WHERE id = ?`,
    );
    this.#month = db.prepare(
      `SELECT ${SUMMARY_COLUMNS} FROM consultations WHERE consulted_on >= ? AND consulted_on < ?
       ORDER BY consulted_at, id`,
    );
    // Served by the partial index consultations_needs_pharmacist (migration V3).
    this.#pending = db.prepare(
      `SELECT * FROM consultations WHERE outcome = 'needs-pharmacist'
       ORDER BY consulted_at DESC, id DESC LIMIT ?`,
    );
    this.#update = db.prepare(
      `UPDATE consultations SET outcome = @outcome, guarantee = @guarantee,
         insured = coalesce(@insured, insured), answer_json = @answer_json,
         document_version = ${DOCUMENT_VERSION},
         warnings_json = coalesce(@warnings_json, warnings_json), fallback_json = @fallback_json
       WHERE id = @id`,
    );
  }

  /** Returns the consultation's id. Durable when it returns, or with its group (group-commit.ts). */
  record(rec: ConsultationRecord): string {
    checkRecord(rec);
    const { audit, commitments, knownPatients, recalls, newId } = this.#p;
    const id = rec.id ?? newId();
    const consultedAt = rec.consultedAt.toISOString();
    // SPEC §1.3: dates are Europe/Brussels calendar days.
    const consultedOn: Day = brusselsDay(rec.consultedAt);
    const row: Row = {
      id,
      reference: rec.reference,
      patient_key: rec.patientKey,
      delivery_date: rec.deliveryDate,
      consulted_at: consultedAt,
      consulted_on: consultedOn,
      principal: rec.principal,
      role: rec.role,
      session_user: rec.sessionUser ?? null,
      upstream_reference: rec.upstreamReference ?? null,
      outcome: rec.outcome,
      guarantee: rec.guarantee,
      insured: rec.insured === undefined ? null : rec.insured ? 1 : 0,
      answer_json: jsonOf(rec.answer),
      upstream_xml: rec.upstreamXml ?? null,
      warnings_json: JSON.stringify(rec.warnings ?? []),
      fallback_json: rec.fallback === undefined ? null : JSON.stringify(rec.fallback),
      reused_commitment_id: rec.reusedCommitmentId ?? null,
      delivered_at: null,
      delivered_by: null,
      delivered_on: null,
      document_version: DOCUMENT_VERSION,
      shares_consultation_id: rec.sharesConsultation ?? null,
    };
    return inWriteTransaction(this.#p.db, () => {
      this.#insert.run(row);
      if (rec.commitment !== undefined) {
        commitments.insert(id, rec.patientKey, consultedOn, consultedAt, rec.commitment);
      }
      if (rec.noRightFrom !== undefined)
        commitments.noteRightLoss(id, rec.patientKey, rec.noRightFrom, consultedAt);
      if (rec.knownPatient !== undefined) {
        knownPatients.upsert(
          rec.patientKey,
          { id, consultedAt, consultedOn, deliveryDate: rec.deliveryDate },
          rec.knownPatient,
        );
      }
      // SPEC §1.4: every fallback delivery is queued for recall.
      if (rec.fallback !== undefined) recalls.enqueue(id, rec.deliveryDate, rec.patientKey, rec.consultedAt);
      audit.append({
        actor: rec.principal,
        role: rec.role,
        action: "consultation.recorded",
        patientKey: rec.patientKey,
        detail: {
          consultation: id,
          deliveryDate: rec.deliveryDate,
          outcome: rec.outcome,
          commitment: rec.commitment !== undefined,
          ...(rec.reusedCommitmentId !== undefined ? { reusedCommitment: rec.reusedCommitmentId } : {}),
          ...(rec.fallback !== undefined ? { fallbackReason: rec.fallback.reason } : {}),
        },
        at: rec.consultedAt,
      });
      return id;
    });
  }

  get(id: string): StoredConsultation | undefined {
    const row = this.#get.get(id);
    return row === undefined ? undefined : toStored(row);
  }

  /**
   * SPEC §1.6: the dispensing software confirms the delivery, on `deliveredOn`. The same
   * confirmation again changes nothing; another day is DELIVERY_ALREADY_CONFIRMED.
   */
  confirmDelivery(id: string, by: Actor, at?: Date, on?: Day): StoredConsultation {
    const when = at ?? this.#p.now();
    const deliveredOn = on ?? brusselsDay(when);
    return inWriteTransaction(this.#p.db, () => {
      const changed = this.#confirm.run(when.toISOString(), by.name, deliveredOn, id).changes;
      if (changed === 0) {
        const row = this.#get.get(id);
        if (row === undefined) throw new CodedError("CONSULTATION_NOT_FOUND");
        if (row.delivered_on === deliveredOn) return toStored(row);
        throw new CodedError("DELIVERY_ALREADY_CONFIRMED", {
          deliveredOn: row.delivered_on ?? brusselsDay(new Date(row.delivered_at ?? when.toISOString())),
        });
      }
      const stored = this.#require(id);
      this.#change.run(id, "delivery-confirmed", when.toISOString());
      this.#p.audit.append({
        actor: by.name,
        role: by.role,
        action: "delivery.confirmed",
        patientKey: stored.patientKey,
        detail: { consultation: id, deliveredOn },
        at: when,
      });
      return stored;
    });
  }

  /** Inside the recall's transaction: the fallback delivery carries what the recall found. */
  noteRecall(id: string, outcome: RecallOutcome): void {
    const stored = this.#require(id);
    this.#noteRecall.run(jsonOf({ ...stored.answer, delivery: null, recall: outcome }), id);
    this.#change.run(id, "recall-resolved", outcome.checkedAt);
  }

  /** The consultation made last for this patient, delivery date and dispensing reference. */
  findByReference(
    patientKey: PatientKey,
    deliveryDate: Day,
    reference: string,
  ): StoredConsultation | undefined {
    const row = this.#byReference.get(patientKey, deliveryDate, reference);
    return row === undefined ? undefined : toStored(row);
  }

  /** The change feed (oldest first) after `seq`, for consultations made on or after `fromDay`. */
  changesSince(seq: number, fromDay: Day, limit: number): ConsultationChange[] {
    return this.#changes.all(seq, fromDay, limit);
  }

  /** For the monthly purpose report (SPEC §1.6): consultations made during `month` (YYYY-MM). */
  listForMonth(month: string): ConsultationSummary[] {
    const { fromDay, untilDay } = monthBoundsOf(month);
    return this.#month.all(fromDay, untilDay).map(toSummary);
  }

  /** SPEC §1.4: the fallback consultations still waiting for the pharmacist's answers, newest first. */
  listPendingFallbacks(limit: number): StoredConsultation[] {
    return this.#pending.all(limit).map(toStored);
  }

  /**
   * Inside the fallback answers' transaction: the outcome the pharmacist's answers lead to.
   * `insured` and `warnings` left undefined keep what was stored.
   */
  updateOutcome(id: string, update: OutcomeUpdate): StoredConsultation {
    const changed = this.#update.run({
      id,
      outcome: update.outcome,
      guarantee: update.guarantee,
      insured: update.insured === undefined ? null : update.insured ? 1 : 0,
      answer_json: jsonOf(update.answer),
      warnings_json: update.warnings === undefined ? null : JSON.stringify(update.warnings),
      fallback_json: JSON.stringify(update.fallback),
    }).changes;
    if (changed === 0) throw new CodedError("CONSULTATION_NOT_FOUND");
    return this.#require(id);
  }

  #require(id: string): StoredConsultation {
    const stored = this.get(id);
    if (stored === undefined) throw new CodedError("CONSULTATION_NOT_FOUND");
    return stored;
  }
}
