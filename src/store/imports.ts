// Results obtained elsewhere (SPEC §1.6, brochure §9.3.3) recorded as the consultation of a
// delivery: the consultation itself (with its commitment and known-patient data, as an online
// answer brings them), where it came from, and — when it settles a fallback delivery — that
// delivery's recall, all in one transaction with the audit entries.
import type Database from "better-sqlite3";
import { IMPORT_ACTIONS } from "../audit-actions.js";
import type { Day } from "../commitment/index.js";
import { CodedError } from "../errors.js";
import type { Actor, AuditTrail } from "./audit.js";
import type { ConsultationRecord } from "./consultation.js";
import type { ConsultationTable } from "./consultations.js";
import { inWriteTransaction } from "./database.js";
import type { RecallQueue, RecallResolution } from "./recalls.js";

export type ImportSource = "recipe" | "portal";

export interface ImportInfo {
  source: ImportSource;
  messageId: string | null;
  /** Who typed a portal result (SPEC §1.6: marked as typed, with who typed it). */
  typedBy: { name: string; nihii: string | null } | null;
  /** The fallback consultation this result settled, if any. */
  resolves: string | null;
}

export interface ImportInput {
  record: ConsultationRecord & { id: string };
  source: ImportSource;
  messageId?: string;
  typedBy?: { name: string; nihii?: string };
  /** The fallback delivery's recall this result resolves. */
  resolves?: {
    consultationId: string;
    recallId: string;
    resolution: Omit<RecallResolution, "onlineConsultationId">;
  };
  by: Actor;
}

export interface ImportStore {
  /** IMPORT_DUPLICATE when the message or the payment approval is already on record. */
  record(input: ImportInput): string;
  info(consultationId: string): ImportInfo | undefined;
  /** Whether an imported result has settled this (fallback) consultation. */
  isResolved(consultationId: string): boolean;
  /** Imported consultations made in [fromDay, untilDay), by id. */
  sourcesBetween(fromDay: Day, untilDay: Day): Map<string, ImportSource>;
}

interface Row {
  consultation_id: string;
  source: string;
  message_id: string | null;
  typed_by: string | null;
  typed_by_nihii: string | null;
  resolves_consultation_id: string | null;
}

export function importStore(
  db: Database.Database,
  audit: AuditTrail,
  consultations: ConsultationTable,
  recalls: RecallQueue,
): ImportStore {
  const insert = db.prepare<[Row]>(
    `INSERT INTO consultation_imports (consultation_id, source, message_id, typed_by, typed_by_nihii,
       resolves_consultation_id)
     VALUES (@consultation_id, @source, @message_id, @typed_by, @typed_by_nihii, @resolves_consultation_id)`,
  );
  const byId = db.prepare<[string], Row>("SELECT * FROM consultation_imports WHERE consultation_id = ?");
  const byMessage = db.prepare<[string], { id: string }>(
    "SELECT consultation_id AS id FROM consultation_imports WHERE message_id = ?",
  );
  const byApproval = db.prepare<[string], { id: string }>(
    "SELECT consultation_id AS id FROM commitments WHERE payment_approval = ? LIMIT 1",
  );
  const resolving = db.prepare<[string], { n: number }>(
    "SELECT EXISTS (SELECT 1 FROM consultation_imports WHERE resolves_consultation_id = ?) AS n",
  );
  const between = db.prepare<[string, string], { id: string; source: string }>(
    `SELECT i.consultation_id AS id, i.source FROM consultation_imports i
       JOIN consultations c ON c.id = i.consultation_id
     WHERE c.consulted_on >= ? AND c.consulted_on < ?`,
  );
  return {
    record(input) {
      return inWriteTransaction(db, () => {
        // The same answer twice would count twice in the purpose report and give two commitments.
        const seen =
          (input.messageId !== undefined ? byMessage.get(input.messageId) : undefined) ??
          (input.record.commitment ? byApproval.get(input.record.commitment.paymentApproval) : undefined);
        if (seen) throw new CodedError("IMPORT_DUPLICATE", { consultation: seen.id });
        const id = consultations.record(input.record);
        insert.run({
          consultation_id: id,
          source: input.source,
          message_id: input.messageId ?? null,
          typed_by: input.typedBy?.name ?? null,
          typed_by_nihii: input.typedBy?.nihii ?? null,
          resolves_consultation_id: input.resolves?.consultationId ?? null,
        });
        if (input.resolves) {
          recalls.resolve(
            input.resolves.recallId,
            { ...input.resolves.resolution, onlineConsultationId: id },
            input.by,
            input.record.consultedAt,
          );
        }
        audit.append({
          actor: input.by.name,
          role: input.by.role,
          action: IMPORT_ACTIONS.recorded,
          patientKey: input.record.patientKey,
          detail: {
            consultation: id,
            source: input.source,
            deliveryDate: input.record.deliveryDate,
            ...(input.messageId !== undefined ? { messageId: input.messageId } : {}),
            ...(input.typedBy ? { typedBy: input.typedBy.name } : {}),
            ...(input.resolves ? { resolves: input.resolves.consultationId } : {}),
          },
          at: input.record.consultedAt,
        });
        return id;
      });
    },
    info(consultationId) {
      const row = byId.get(consultationId);
      if (row === undefined) return undefined;
      return {
        source: row.source as ImportSource,
        messageId: row.message_id,
        typedBy: row.typed_by === null ? null : { name: row.typed_by, nihii: row.typed_by_nihii },
        resolves: row.resolves_consultation_id,
      };
    },
    isResolved: (consultationId) => (resolving.get(consultationId)?.n ?? 0) > 0,
    sourcesBetween(fromDay, untilDay) {
      return new Map(between.all(fromDay, untilDay).map((r) => [r.id, r.source as ImportSource]));
    },
  };
}
