// The pharmacist's answers to the fallback questions (SPEC §1.4 nodes 5–8): each is recorded with
// who gave it, when and why, once — an answer is never overwritten. The HTTP layer checks that
// the answers follow the tree; the store keeps them and the outcome they lead to together.
import type Database from "better-sqlite3";
import { CodedError } from "../errors.js";
import type { Actor, AuditTrail } from "./audit.js";
import type { OutcomeUpdate, StoredConsultation } from "./consultation.js";
import type { ConsultationTable } from "./consultations.js";
import { inWriteTransaction, isSqliteError } from "./database.js";

export type PharmacistNode = 5 | 6 | 7 | 8;

export interface FallbackAnswerInput {
  node: PharmacistNode;
  answer: boolean;
  /** What the SIS card or the document says (node 6 or 8), as JSON. */
  documentData?: Readonly<Record<string, unknown>>;
  /** The pharmacist's reason ("why"). */
  note?: string;
}

export interface FallbackAnswers {
  consultationId: string;
  answers: readonly FallbackAnswerInput[];
  by: Actor;
  at?: Date;
  /** Where the answers lead (computed by the caller with src/fallback). */
  outcome: OutcomeUpdate;
}

export interface StoredFallbackAnswer extends FallbackAnswerInput {
  consultationId: string;
  pharmacist: string;
  pharmacistNihii: string | null;
  answeredAt: string;
}

interface Row {
  consultation_id: string;
  node: number;
  answer: number;
  document_json: string | null;
  note: string | null;
  pharmacist: string;
  pharmacist_nihii: string | null;
  answered_at: string;
}

export class FallbackAnswerTable {
  readonly #db: Database.Database;
  readonly #consultations: ConsultationTable;
  readonly #audit: AuditTrail;
  readonly #now: () => Date;
  readonly #insert: Database.Statement<[Row]>;
  readonly #list: Database.Statement<[string], Row>;

  constructor(db: Database.Database, consultations: ConsultationTable, audit: AuditTrail, now: () => Date) {
    this.#db = db;
    this.#consultations = consultations;
    this.#audit = audit;
    this.#now = now;
    this.#insert = db.prepare(
      `INSERT INTO fallback_answers (consultation_id, node, answer, document_json, note, pharmacist,
         pharmacist_nihii, answered_at)
       VALUES (@consultation_id, @node, @answer, @document_json, @note, @pharmacist, @pharmacist_nihii, @answered_at)`,
    );
    this.#list = db.prepare("SELECT * FROM fallback_answers WHERE consultation_id = ? ORDER BY node");
  }

  /** All answers and the new outcome in one transaction; FALLBACK_ALREADY_ANSWERED if a node was answered. */
  record(input: FallbackAnswers): StoredConsultation {
    const at = input.at ?? this.#now();
    return inWriteTransaction(this.#db, () => {
      const current = this.#consultations.get(input.consultationId);
      if (current === undefined) throw new CodedError("CONSULTATION_NOT_FOUND");
      for (const a of input.answers) {
        try {
          this.#insert.run({
            consultation_id: input.consultationId,
            node: a.node,
            answer: a.answer ? 1 : 0,
            document_json: a.documentData === undefined ? null : JSON.stringify(a.documentData),
            note: a.note ?? null,
            pharmacist: input.by.name,
            pharmacist_nihii: input.by.nihii ?? null,
            answered_at: at.toISOString(),
          });
        } catch (err) {
          if (isSqliteError(err) && err.code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
            throw new CodedError("FALLBACK_ALREADY_ANSWERED", { node: a.node }, { cause: err });
          }
          throw err;
        }
      }
      const updated = this.#consultations.updateOutcome(input.consultationId, input.outcome);
      this.#audit.append({
        actor: input.by.name,
        role: input.by.role,
        action: "fallback.answered",
        patientKey: current.patientKey,
        detail: {
          consultation: input.consultationId,
          answers: input.answers.map((a) => ({ node: a.node, answer: a.answer })),
          outcome: input.outcome.outcome,
          guarantee: input.outcome.guarantee,
        },
        at,
      });
      return updated;
    });
  }

  list(consultationId: string): StoredFallbackAnswer[] {
    return this.#list.all(consultationId).map((r) => ({
      consultationId: r.consultation_id,
      node: r.node as PharmacistNode,
      answer: r.answer === 1,
      ...(r.document_json === null
        ? {}
        : { documentData: JSON.parse(r.document_json) as Record<string, unknown> }),
      ...(r.note === null ? {} : { note: r.note }),
      pharmacist: r.pharmacist,
      pharmacistNihii: r.pharmacist_nihii,
      answeredAt: r.answered_at,
    }));
  }
}
