// The daemon's store: one SQLite file, synchronous and typed. No SQL leaves src/store.
import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import type { Day } from "../commitment/index.js";
import { AuditTrail } from "./audit.js";
import type { Actor, AuditEntry, AuditInput } from "./audit.js";
import type { AuditAnchor, AuditVerification } from "./audit-chain.js";
import { AUDIT_KEY_BYTES } from "./audit-key.js";
import { CommitmentTable } from "./commitments.js";
import type { StoredCommitmentRow } from "./commitments.js";
import type {
  ConsultationChange,
  ConsultationRecord,
  ConsultationSummary,
  StoredConsultation,
} from "./consultation.js";
import { ConsultationTable } from "./consultations.js";
import { groupOf, inGroupedWrite, inWriteTransaction, openDatabase } from "./database.js";
import type { CommitStats } from "./group-commit.js";
import { FallbackAnswerTable } from "./fallback-answers.js";
import type { FallbackAnswers, StoredFallbackAnswer } from "./fallback-answers.js";
import { KnownPatientTable } from "./known-patients.js";
import type { KnownPatient } from "./known-patients.js";
import type { PatientKey } from "../identifiers/patient-key.js";
import { RecallQueue } from "./recalls.js";
import type { Recall, RecallFilter, RecallResolution } from "./recalls.js";
import { purge } from "./retention.js";
import { complianceStore } from "./compliance.js";
import type { ComplianceStore } from "./compliance.js";
import { mandateStore, type MandateStore } from "./mandates.js";
import { importStore, type ImportStore } from "./imports.js";
import type { PurgeCounts } from "./retention.js";

export interface StoreOptions {
  /** HMAC key for patient pseudonyms and audit seals (≥ 32 bytes; see loadOrCreateAuditKey). */
  auditKey: Buffer;
  now?: () => Date;
  newId?: () => string;
  /** How long a write waits for another process's lock before STORE_UNAVAILABLE (default 5 s). */
  busyTimeoutMs?: number;
}

/**
 * The writes of the online path, group-committed (group-commit.ts): each runs at once, so the next
 * read sees it, and resolves once the commit holding its rows is on disk. Writes arriving in the
 * same turn of the event loop share that commit, and the commits made while the WAL is being
 * synced share the next sync (wal-sync.ts); a write that throws fails alone;
 * a commit that fails rejects exactly the writes it held, whose rows are rolled back.
 */
export interface GroupedWrites {
  recordConsultation(rec: ConsultationRecord): Promise<string>;
  recordFallbackAnswers(input: FallbackAnswers): Promise<StoredConsultation>;
  enqueueRecall(consultationId: string, deliveryDate: Day, patientKey: PatientKey): Promise<Recall>;
  appendAudit(input: AuditInput): Promise<AuditEntry>;
}

/**
 * Every write method not in `grouped` is durable when it returns: it commits with it any group
 * still open.
 */
export interface Store {
  readonly grouped: GroupedWrites;
  /** Writes, commits and syncs of the WAL so far on this connection: how well writes group. */
  commitStats(): CommitStats;

  /** In one transaction: consultation, commitment, known patient, recall, audit entry. Returns the id. */
  recordConsultation(rec: ConsultationRecord): string;
  getConsultation(id: string): StoredConsultation | undefined;
  /**
   * Delivered on `deliveredOn` (default: the Brussels day of `at`). The same confirmation again
   * changes nothing; another day is DELIVERY_ALREADY_CONFIRMED; CONSULTATION_NOT_FOUND.
   */
  confirmDelivery(id: string, by: Actor, at?: Date, deliveredOn?: Day): StoredConsultation;
  /** The consultation made last for this patient, delivery date and dispensing reference. */
  consultationByReference(
    patientKey: PatientKey,
    deliveryDate: Day,
    reference: string,
  ): StoredConsultation | undefined;
  /** The dispensing software's change feed: after `seq`, consultations made on or after `fromDay`. */
  consultationChanges(seq: number, fromDay: Day, limit: number): ConsultationChange[];
  listConsultationsForMonth(month: string): ConsultationSummary[];
  /** SPEC §1.4: consultations waiting for the pharmacist's answers (needs-pharmacist), newest first. */
  pendingFallbacks(limit?: number): StoredConsultation[];

  commitmentsFor(patientKey: PatientKey): StoredCommitmentRow[];
  /** SPEC §1.3 reuse: the last obtained commitment that may serve this delivery date. */
  findCommitment(patientKey: PatientKey, deliveryDate: Day): StoredCommitmentRow | undefined;

  knownPatient(patientKey: PatientKey): KnownPatient | undefined;

  /** Answers of nodes 5–8 and the resulting outcome in one transaction; FALLBACK_ALREADY_ANSWERED. */
  recordFallbackAnswers(input: FallbackAnswers): StoredConsultation;
  fallbackAnswers(consultationId: string): StoredFallbackAnswer[];

  enqueueRecall(consultationId: string, deliveryDate: Day, patientKey: PatientKey): Recall;
  pendingRecalls(): Recall[];
  getRecall(id: string): Recall | undefined;
  noteRecallAttempt(id: string, at?: Date): Recall;
  resolveRecall(id: string, resolution: RecallResolution, by: Actor, at?: Date): Recall;
  /** A recall MyCareNet keeps refusing: left to the pharmacist with its reason. */
  leaveRecallToPharmacist(id: string, refusal: string, by: Actor, at?: Date): Recall;
  listRecalls(filter?: RecallFilter): Recall[];
  markRecallHandled(id: string, by: Actor, at?: Date): Recall;

  appendAudit(input: AuditInput): AuditEntry;
  verifyAudit(anchor?: AuditAnchor): AuditVerification;
  auditHead(): AuditAnchor;
  auditEntries(fromSeq?: number, limit?: number): AuditEntry[];
  /** The pseudonym under which the audit trail names this patient. */
  patientPseudonym(patientKey: PatientKey): string;

  /** Deletes what was consulted before `before` (audit kept). */
  purge(options: { before: Day }): PurgeCounts;

  /** Purpose and proportionality (SPEC §1.6): the guard's counts, alerts, lifts, pricing-office uses. */
  readonly compliance: ComplianceStore;
  /** Mandates given by the titular pharmacist (SPEC §1.6, brochure §8.2.2.5). */
  readonly mandates: MandateStore;
  /** Results obtained elsewhere recorded as consultations (SPEC §1.6, brochure §9.3.3). */
  readonly imports: ImportStore;

  close(): void;
}

export function openStore(file: string, options: StoreOptions): Store {
  if (options.auditKey.length < AUDIT_KEY_BYTES)
    throw new RangeError(`the audit key must have at least ${AUDIT_KEY_BYTES} bytes`);
  const now = options.now ?? ((): Date => new Date());
  const newId = options.newId ?? randomUUID;
  const db: Database.Database = openDatabase(file, options.busyTimeoutMs);
  try {
    return assemble(db, Buffer.from(options.auditKey), now, newId);
  } catch (err) {
    db.close();
    throw err;
  }
}

function assemble(db: Database.Database, auditKey: Buffer, now: () => Date, newId: () => string): Store {
  const audit = new AuditTrail(db, auditKey, now);
  const commitments = new CommitmentTable(db);
  const knownPatients = new KnownPatientTable(db);
  const recalls = new RecallQueue(db, audit, now, newId);
  const consultations = new ConsultationTable({ db, audit, commitments, knownPatients, recalls, now, newId });
  const fallback = new FallbackAnswerTable(db, consultations, audit, now);

  const grouped: GroupedWrites = {
    recordConsultation: (rec) => inGroupedWrite(db, () => consultations.record(rec)),
    recordFallbackAnswers: (input) => inGroupedWrite(db, () => fallback.record(input)),
    enqueueRecall: (consultationId, deliveryDate, patientKey) =>
      inGroupedWrite(db, () => recalls.enqueue(consultationId, deliveryDate, patientKey)),
    appendAudit: (input) => inGroupedWrite(db, () => audit.append(input)),
  };

  return {
    grouped,
    commitStats: () => groupOf(db).stats(),
    recordConsultation: (rec) => consultations.record(rec),
    getConsultation: (id) => consultations.get(id),
    confirmDelivery: (id, by, at, on) => consultations.confirmDelivery(id, by, at, on),
    consultationByReference: (patientKey, deliveryDate, reference) =>
      consultations.findByReference(patientKey, deliveryDate, reference),
    consultationChanges: (seq, fromDay, limit) => consultations.changesSince(seq, fromDay, limit),
    listConsultationsForMonth: (month) => consultations.listForMonth(month),
    pendingFallbacks: (limit = 100) => consultations.listPendingFallbacks(limit),
    commitmentsFor: (patientKey) => commitments.forPatient(patientKey),
    findCommitment: (patientKey, deliveryDate) => commitments.find(patientKey, deliveryDate),
    knownPatient: (patientKey) => knownPatients.get(patientKey),
    recordFallbackAnswers: (input) => fallback.record(input),
    fallbackAnswers: (consultationId) => fallback.list(consultationId),
    enqueueRecall: (consultationId, deliveryDate, patientKey) =>
      recalls.enqueue(consultationId, deliveryDate, patientKey),
    pendingRecalls: () => recalls.pending(),
    getRecall: (id) => recalls.get(id),
    noteRecallAttempt: (id, at) => recalls.noteAttempt(id, at),
    // The fallback delivery carries the outcome, in the recall's own transaction (issue 14 §2).
    resolveRecall: (id, resolution, by, at) =>
      inWriteTransaction(db, () => {
        const recall = recalls.resolve(id, resolution, by, at);
        if (resolution.commitment !== undefined && recall.resolvedAt !== null) {
          consultations.noteRecall(recall.consultationId, {
            state: resolution.status,
            checkedAt: recall.resolvedAt,
            consultationId: resolution.onlineConsultationId,
            commitment: resolution.commitment,
            differences: [...resolution.differences],
          });
        }
        return recall;
      }),
    leaveRecallToPharmacist: (id, refusal, by, at) => recalls.leaveToPharmacist(id, refusal, by, at),
    listRecalls: (filter) => recalls.list(filter),
    markRecallHandled: (id, by, at) => recalls.markHandled(id, by, at),
    appendAudit: (input) => audit.append(input),
    verifyAudit: (anchor) => audit.verify(anchor),
    auditHead: () => audit.head(),
    auditEntries: (fromSeq, limit) => audit.entries(fromSeq, limit),
    patientPseudonym: (patientKey) => audit.pseudonym(patientKey),
    purge: ({ before }) => purge(db, audit, before, now()),
    compliance: complianceStore(db, audit),
    mandates: mandateStore(db, audit, newId),
    imports: importStore(db, audit, consultations, recalls),
    close: () => {
      if (!db.open) return;
      try {
        groupOf(db).close();
      } finally {
        db.close();
      }
    },
  };
}
