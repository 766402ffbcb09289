// The recall queue (SPEC §1.4, brochure §9.3.5): every fallback delivery is consulted online again
// once MyCareNet answers, and any difference is reported to the pharmacist.
import type Database from "better-sqlite3";
import type { Day } from "../commitment/index.js";
import { CodedError } from "../errors.js";
import type { AuditTrail, Actor } from "./audit.js";
import { inWriteTransaction } from "./database.js";
import type { PatientKey } from "../identifiers/patient-key.js";
import type { CommitmentView } from "../consultation/document.js";

export type RecallStatus = "pending" | "confirmed" | "discrepancy" | "refused";

export interface Recall {
  id: string;
  consultationId: string;
  patientKey: PatientKey;
  deliveryDate: Day;
  queuedAt: string;
  status: RecallStatus;
  attempts: number;
  lastAttemptAt: string | null;
  resolvedAt: string | null;
  /** What differs between the fallback data and the online answer (entitlement, insurer, right). */
  differences: string[];
  onlineConsultationId: string | null;
  handled: { at: string; by: string } | null;
  /** With status "refused": what MyCareNet refused it with (an SOA or return code). */
  refusal: string | null;
}

export interface RecallResolution {
  status: "confirmed" | "discrepancy";
  differences: readonly string[];
  onlineConsultationId: string;
  /** The commitment obtained online (null: none); given, the fallback delivery carries it. */
  commitment?: CommitmentView | null;
}

export interface RecallFilter {
  status?: RecallStatus;
  /** true: only those a pharmacist has closed; false: only those still open. */
  handled?: boolean;
  limit?: number;
}

interface Row {
  id: string;
  consultation_id: string;
  patient_key: string;
  delivery_date: string;
  queued_at: string;
  status: string;
  attempts: number;
  last_attempt_at: string | null;
  resolved_at: string | null;
  differences_json: string | null;
  online_consultation_id: string | null;
  handled_at: string | null;
  handled_by: string | null;
  refusal: string | null;
}

const toRecall = (r: Row): Recall => ({
  id: r.id,
  consultationId: r.consultation_id,
  patientKey: r.patient_key as PatientKey,
  deliveryDate: r.delivery_date,
  queuedAt: r.queued_at,
  status: r.status as RecallStatus,
  attempts: r.attempts,
  lastAttemptAt: r.last_attempt_at,
  resolvedAt: r.resolved_at,
  differences: r.differences_json === null ? [] : (JSON.parse(r.differences_json) as string[]),
  onlineConsultationId: r.online_consultation_id,
  handled: r.handled_at === null || r.handled_by === null ? null : { at: r.handled_at, by: r.handled_by },
  refusal: r.refusal,
});

export class RecallQueue {
  readonly #db: Database.Database;
  readonly #audit: AuditTrail;
  readonly #now: () => Date;
  readonly #newId: () => string;
  readonly #insert: Database.Statement<
    [Pick<Row, "id" | "consultation_id" | "patient_key" | "delivery_date" | "queued_at">]
  >;
  readonly #byId: Database.Statement<[string], Row>;
  readonly #byConsultation: Database.Statement<[string], Row>;
  readonly #pending: Database.Statement<[], Row>;

  constructor(db: Database.Database, audit: AuditTrail, now: () => Date, newId: () => string) {
    this.#db = db;
    this.#audit = audit;
    this.#now = now;
    this.#newId = newId;
    this.#insert = db.prepare(
      `INSERT INTO recalls (id, consultation_id, patient_key, delivery_date, queued_at)
       VALUES (@id, @consultation_id, @patient_key, @delivery_date, @queued_at)
       ON CONFLICT (consultation_id) DO NOTHING`,
    );
    this.#byId = db.prepare("SELECT * FROM recalls WHERE id = ?");
    this.#byConsultation = db.prepare("SELECT * FROM recalls WHERE consultation_id = ?");
    this.#pending = db.prepare("SELECT * FROM recalls WHERE status = 'pending' ORDER BY queued_at, id");
  }

  /** Queues the delivery once; queuing it again returns the recall already there. */
  enqueue(consultationId: string, deliveryDate: Day, patientKey: PatientKey, at?: Date): Recall {
    return inWriteTransaction(this.#db, () => {
      this.#insert.run({
        id: this.#newId(),
        consultation_id: consultationId,
        patient_key: patientKey,
        delivery_date: deliveryDate,
        queued_at: (at ?? this.#now()).toISOString(),
      });
      const row = this.#byConsultation.get(consultationId);
      if (row === undefined) throw new Error("recall row missing after insert");
      return toRecall(row);
    });
  }

  get(id: string): Recall | undefined {
    const row = this.#byId.get(id);
    return row === undefined ? undefined : toRecall(row);
  }

  /** Oldest first: the order in which the recall runner consults. */
  pending(): Recall[] {
    return this.#pending.all().map(toRecall);
  }

  /** MyCareNet still did not answer: counted, so the pharmacist sees how long it has waited. */
  noteAttempt(id: string, at?: Date): Recall {
    return inWriteTransaction(this.#db, () => {
      const when = (at ?? this.#now()).toISOString();
      const changed = this.#db
        .prepare(
          "UPDATE recalls SET attempts = attempts + 1, last_attempt_at = ? WHERE id = ? AND status = 'pending'",
        )
        .run(when, id).changes;
      if (changed === 0) this.#current(id, "pending");
      return this.#require(id);
    });
  }

  resolve(id: string, resolution: RecallResolution, by: Actor, at?: Date): Recall {
    return inWriteTransaction(this.#db, () => {
      const recall = this.#current(id, "pending");
      const when = (at ?? this.#now()).toISOString();
      this.#db
        .prepare(
          `UPDATE recalls SET status = ?, resolved_at = ?, differences_json = ?, online_consultation_id = ?,
             attempts = attempts + 1, last_attempt_at = ?
           WHERE id = ?`,
        )
        .run(
          resolution.status,
          when,
          JSON.stringify(resolution.differences),
          resolution.onlineConsultationId,
          when,
          id,
        );
      this.#audit.append({
        actor: by.name,
        role: by.role,
        action: "recall.resolved",
        patientKey: recall.patientKey,
        detail: {
          recall: id,
          consultation: recall.consultationId,
          status: resolution.status,
          differences: [...resolution.differences],
        },
        at: at ?? new Date(when),
      });
      return this.#require(id);
    });
  }

  /**
   * MyCareNet refused this recall again and again (issue 13, brochure §7.2): no more automatic
   * tries; the pharmacist sees it with its reason and marks it handled.
   */
  leaveToPharmacist(id: string, refusal: string, by: Actor, at?: Date): Recall {
    return inWriteTransaction(this.#db, () => {
      const recall = this.#current(id, "pending");
      const when = (at ?? this.#now()).toISOString();
      this.#db
        .prepare(
          `UPDATE recalls SET status = 'refused', resolved_at = ?, refusal = ?, attempts = attempts + 1,
             last_attempt_at = ? WHERE id = ?`,
        )
        .run(when, refusal.slice(0, 40), when, id);
      this.#audit.append({
        actor: by.name,
        role: by.role,
        action: "recall.resolved",
        patientKey: recall.patientKey,
        detail: { recall: id, consultation: recall.consultationId, status: "refused", refusal },
        at: at ?? new Date(when),
      });
      return this.#require(id);
    });
  }

  /** The pharmacist has seen the outcome of the recall (and acted on a discrepancy). */
  markHandled(id: string, by: Actor, at?: Date): Recall {
    return inWriteTransaction(this.#db, () => {
      const recall = this.#current(id, "resolved");
      const when = at ?? this.#now();
      this.#db
        .prepare("UPDATE recalls SET handled_at = ?, handled_by = ? WHERE id = ?")
        .run(when.toISOString(), by.name, id);
      this.#audit.append({
        actor: by.name,
        role: by.role,
        action: "recall.handled",
        patientKey: recall.patientKey,
        detail: { recall: id, consultation: recall.consultationId, status: recall.status },
        at: when,
      });
      return this.#require(id);
    });
  }

  list(filter: RecallFilter = {}): Recall[] {
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (filter.status !== undefined) {
      where.push("status = ?");
      params.push(filter.status);
    }
    if (filter.handled !== undefined)
      where.push(filter.handled ? "handled_at IS NOT NULL" : "handled_at IS NULL");
    params.push(filter.limit ?? 1000);
    const sql = `SELECT * FROM recalls ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY queued_at, id LIMIT ?`;
    return this.#db
      .prepare<Array<string | number>, Row>(sql)
      .all(...params)
      .map(toRecall);
  }

  #require(id: string): Recall {
    const recall = this.get(id);
    if (recall === undefined) throw new CodedError("RECALL_NOT_FOUND");
    return recall;
  }

  // The recall as it must be for the next step: still pending, or resolved and not yet handled.
  #current(id: string, expected: "pending" | "resolved"): Recall {
    const recall = this.#require(id);
    if (expected === "pending" && recall.status !== "pending")
      throw new CodedError("RECALL_ALREADY_RESOLVED");
    if (expected === "resolved") {
      if (recall.status === "pending") throw new CodedError("RECALL_NOT_RESOLVED");
      if (recall.handled !== null) throw new CodedError("RECALL_ALREADY_HANDLED");
    }
    return recall;
  }
}
