// Retention (SPEC §1.3, brochure §5.3): commitment data is kept "le temps nécessaire au traitement
// de la facture et des rejets éventuels, mais pas plus longtemps". The purge removes consultations
// made before the cut-off day with everything that hangs on them (commitment, fallback answers,
// recall) and the known-patient data last refreshed before it. The audit trail stays: it holds
// pseudonyms only, and its hashes still verify.
import type Database from "better-sqlite3";
import { isDay } from "../commitment/index.js";
import type { Day } from "../commitment/index.js";
import type { AuditTrail } from "./audit.js";
import { inWriteTransaction } from "./database.js";

export interface PurgeCounts {
  consultations: number;
  commitments: number;
  fallbackAnswers: number;
  recalls: number;
  knownPatients: number;
}

export function purge(db: Database.Database, audit: AuditTrail, before: Day, at: Date): PurgeCounts {
  if (!isDay(before)) throw new RangeError("purge: `before` is not a calendar day");
  const count = (sql: string): number => (db.prepare<[string], { n: number }>(sql).get(before) ?? { n: 0 }).n;
  const counts = inWriteTransaction(db, () => {
    // Counted before the delete: the cascades do not report what they remove.
    const result: PurgeCounts = {
      consultations: count("SELECT count(*) AS n FROM consultations WHERE consulted_on < ?"),
      commitments: count(
        "SELECT count(*) AS n FROM commitments WHERE consultation_id IN (SELECT id FROM consultations WHERE consulted_on < ?)",
      ),
      fallbackAnswers: count(
        "SELECT count(*) AS n FROM fallback_answers WHERE consultation_id IN (SELECT id FROM consultations WHERE consulted_on < ?)",
      ),
      recalls: count(
        "SELECT count(*) AS n FROM recalls WHERE consultation_id IN (SELECT id FROM consultations WHERE consulted_on < ?)",
      ),
      knownPatients: count("SELECT count(*) AS n FROM known_patients WHERE last_consulted_on < ?"),
    };
    db.prepare("DELETE FROM known_patients WHERE last_consulted_on < ?").run(before);
    db.prepare("DELETE FROM consultations WHERE consulted_on < ?").run(before);
    audit.append({
      actor: "daemon",
      role: "system",
      action: "retention.purged",
      detail: { before, ...result },
      at,
    });
    return result;
  });
  // Let the write-ahead log go too, so that purged rows do not linger in it.
  db.pragma("wal_checkpoint(TRUNCATE)");
  return counts;
}
