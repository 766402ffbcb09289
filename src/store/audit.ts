// The append-only, hash-chained audit trail (SPEC §1.5 "every consultation is traced to the user
// of the session that made it"; §1.6: the pricing office's answers are kept nowhere else).
import type Database from "better-sqlite3";
import { canonicalJson } from "./canonical-json.js";
import { entryHash, GENESIS_HASH, sealOf, verifyChain } from "./audit-chain.js";
import type { AuditAnchor, AuditRow, AuditVerification } from "./audit-chain.js";
import { inWriteTransaction } from "./database.js";
import type { PatientKey } from "../identifiers/patient-key.js";
import { patientPseudonym } from "./pseudonym.js";
import type { ActorRole } from "../actors.js";
import type { AuditAction } from "../audit-actions.js";

export type { Actor, ActorRole } from "../actors.js";

export interface AuditInput {
  actor: string;
  role: ActorRole;
  /** One of the closed list in audit-actions.ts: it can never be renamed once written. */
  action: AuditAction;
  /** Stored as a keyed pseudonym, never in clear. */
  patientKey?: PatientKey;
  /** JSON data; must not carry the patient's identifier (refused with a TypeError). */
  detail?: Readonly<Record<string, unknown>>;
  at?: Date;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  patient: string | null;
  detail: Readonly<Record<string, unknown>> | null;
  prevHash: string;
  hash: string;
}

interface Row {
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  patient: string | null;
  detail_json: string | null;
  prev_hash: string;
  hash: string;
  seal: string;
}

const toAuditRow = (r: Row): AuditRow => ({
  seq: r.seq,
  at: r.at,
  actor: r.actor,
  role: r.role,
  action: r.action,
  patient: r.patient,
  detail: r.detail_json === null ? null : (JSON.parse(r.detail_json) as Record<string, unknown>),
  prevHash: r.prev_hash,
  hash: r.hash,
  seal: r.seal,
});

export class AuditTrail {
  readonly #db: Database.Database;
  readonly #key: Buffer;
  readonly #now: () => Date;
  readonly #head: Database.Statement<[], { seq: number; hash: string }>;
  readonly #insert: Database.Statement<[Row]>;
  readonly #all: Database.Statement<[], Row>;

  constructor(db: Database.Database, key: Buffer, now: () => Date) {
    this.#db = db;
    this.#key = key;
    this.#now = now;
    this.#head = db.prepare("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
    this.#insert = db.prepare(
      `INSERT INTO audit (seq, at, actor, role, action, patient, detail_json, prev_hash, hash, seal)
       VALUES (@seq, @at, @actor, @role, @action, @patient, @detail_json, @prev_hash, @hash, @seal)`,
    );
    this.#all = db.prepare("SELECT * FROM audit ORDER BY seq");
  }

  pseudonym(patientKey: PatientKey): string {
    return patientPseudonym(this.#key, patientKey);
  }

  /** Appends one entry; inside a caller's transaction it commits (or not) with the caller's change. */
  append(input: AuditInput): AuditEntry {
    const detailJson = input.detail === undefined ? null : canonicalJson(input.detail);
    if (detailJson !== null && input.patientKey !== undefined && leaksPatient(detailJson, input.patientKey)) {
      throw new TypeError("an audit detail must not carry the patient's identifier");
    }
    const content = {
      at: (input.at ?? this.#now()).toISOString(),
      actor: input.actor,
      role: input.role,
      action: input.action,
      patient: input.patientKey === undefined ? null : this.pseudonym(input.patientKey),
      detail: detailJson === null ? null : (JSON.parse(detailJson) as Record<string, unknown>),
    };
    return inWriteTransaction(this.#db, () => {
      const head = this.#head.get();
      const seq = (head?.seq ?? 0) + 1;
      const prevHash = head?.hash ?? GENESIS_HASH;
      const hash = entryHash(prevHash, content);
      this.#insert.run({
        seq,
        ...content,
        detail_json: detailJson,
        prev_hash: prevHash,
        hash,
        seal: sealOf(this.#key, hash),
      });
      return { seq, ...content, prevHash, hash };
    });
  }

  /** The last entry: log or export it now and then, and pass it to verify() later. */
  head(): AuditAnchor {
    const head = this.#head.get();
    return head === undefined ? { seq: 0, hash: GENESIS_HASH } : { seq: head.seq, hash: head.hash };
  }

  verify(anchor?: AuditAnchor): AuditVerification {
    const rows = this.#all.iterate();
    function* mapped(): Generator<AuditRow> {
      for (const row of rows) yield toAuditRow(row);
    }
    return verifyChain(mapped(), this.#key, anchor);
  }

  /** Entries in order, from `fromSeq` on (for an export or an inspection). */
  entries(fromSeq = 1, limit = 1000): AuditEntry[] {
    return this.#db
      .prepare<[number, number], Row>("SELECT * FROM audit WHERE seq >= ? ORDER BY seq LIMIT ?")
      .all(fromSeq, limit)
      .map((row) => {
        const { seal: _seal, ...entry } = toAuditRow(row);
        return entry;
      });
  }
}

function leaksPatient(detailJson: string, patientKey: PatientKey): boolean {
  if (detailJson.includes(patientKey)) return true;
  return patientKey.startsWith("niss:") && detailJson.includes(patientKey.slice("niss:".length));
}
