// Mandates on disk (SPEC §1.6, brochure §8.2.2.5). Giving and revoking write the mandate and its
// audit entry in one transaction; the rules (overlap, period, who) are checked by the caller
// inside that same transaction, so two concurrent gifts cannot both pass the overlap rule.
import type Database from "better-sqlite3";
import { MANDATE_ACTIONS } from "../audit-actions.js";
import type { Mandate, MandataryKind, MandateService, MandateTerms } from "../purpose/mandate.js";
import type { Actor, AuditTrail } from "./audit.js";
import { inWriteTransaction } from "./database.js";

interface Row {
  id: string;
  mandatary_kind: string;
  mandatary_id: string;
  mandatary_name: string;
  service: string;
  valid_from: string;
  valid_until: string;
  reference: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
  revoked_by: string | null;
}

const toMandate = (r: Row): Mandate => ({
  id: r.id,
  mandatary: { kind: r.mandatary_kind as MandataryKind, id: r.mandatary_id, name: r.mandatary_name },
  service: r.service as MandateService,
  validFrom: r.valid_from,
  validUntil: r.valid_until,
  reference: r.reference,
  createdAt: r.created_at,
  createdBy: r.created_by,
  revoked: r.revoked_at === null || r.revoked_by === null ? null : { at: r.revoked_at, by: r.revoked_by },
});

/** What the audit trail says of a mandatary: a person's NISS stays out of it. */
export const auditedMandatary = (m: { kind: MandataryKind; id: string }) =>
  m.kind === "person" ? { kind: m.kind } : { kind: m.kind, id: m.id };

export interface MandateStore {
  list(): Mandate[];
  get(id: string): Mandate | undefined;
  /**
   * `check` runs inside the write transaction with every mandate on record and throws to refuse;
   * then the mandate and its audit entry are written.
   */
  give(terms: MandateTerms, by: Actor, at: Date, check: (existing: Mandate[]) => void): Mandate;
  /** `check` sees the mandate (or undefined) inside the transaction and throws to refuse. */
  revoke(id: string, by: Actor, at: Date, check: (mandate: Mandate | undefined) => void): Mandate;
}

export function mandateStore(db: Database.Database, audit: AuditTrail, newId: () => string): MandateStore {
  const all = db.prepare<[], Row>("SELECT * FROM mandates ORDER BY valid_from, created_at, id");
  const one = db.prepare<[string], Row>("SELECT * FROM mandates WHERE id = ?");
  const insert = db.prepare<[Row]>(
    `INSERT INTO mandates (id, mandatary_kind, mandatary_id, mandatary_name, service, valid_from,
       valid_until, reference, created_at, created_by, revoked_at, revoked_by)
     VALUES (@id, @mandatary_kind, @mandatary_id, @mandatary_name, @service, @valid_from,
       @valid_until, @reference, @created_at, @created_by, @revoked_at, @revoked_by)`,
  );
  const revoke = db.prepare<[string, string, string]>(
    "UPDATE mandates SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
  );
  const list = () => all.all().map(toMandate);
  const get = (id: string) => {
    const row = one.get(id);
    return row === undefined ? undefined : toMandate(row);
  };
  return {
    list,
    get,
    give(terms, by, at, check) {
      return inWriteTransaction(db, () => {
        check(list());
        const row: Row = {
          id: newId(),
          mandatary_kind: terms.mandatary.kind,
          mandatary_id: terms.mandatary.id,
          mandatary_name: terms.mandatary.name,
          service: terms.service,
          valid_from: terms.validFrom,
          valid_until: terms.validUntil,
          reference: terms.reference,
          created_at: at.toISOString(),
          created_by: by.name,
          revoked_at: null,
          revoked_by: null,
        };
        insert.run(row);
        audit.append({
          actor: by.name,
          role: by.role,
          action: MANDATE_ACTIONS.given,
          detail: {
            mandate: row.id,
            mandatary: auditedMandatary(terms.mandatary),
            service: terms.service,
            validFrom: terms.validFrom,
            validUntil: terms.validUntil,
            reference: terms.reference,
            ...(by.nihii ? { byNihii: by.nihii } : {}),
          },
          at,
        });
        return toMandate(row);
      });
    },
    revoke(id, by, at, check) {
      return inWriteTransaction(db, () => {
        check(get(id));
        revoke.run(at.toISOString(), by.name, id);
        audit.append({
          actor: by.name,
          role: by.role,
          action: MANDATE_ACTIONS.revoked,
          detail: { mandate: id, ...(by.nihii ? { byNihii: by.nihii } : {}) },
          at,
        });
        return get(id) as Mandate;
      });
    },
  };
}
