// The audit trail opened read-only, for `mcn-rights audit verify`: it can run beside the daemon
// (WAL readers do not block the writer) and can never change what it checks.
import Database from "better-sqlite3";
import { AuditTrail } from "./audit.js";
import type { AuditAnchor, AuditVerification } from "./audit-chain.js";
import { AUDIT_KEY_BYTES } from "./audit-key.js";

export interface AuditReader {
  verify(anchor?: AuditAnchor): AuditVerification;
  head(): AuditAnchor;
  close(): void;
}

export function openAuditReader(file: string, auditKey: Buffer, busyTimeoutMs = 5_000): AuditReader {
  if (auditKey.length < AUDIT_KEY_BYTES)
    throw new RangeError(`the audit key must have at least ${AUDIT_KEY_BYTES} bytes`);
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
  try {
    const trail = new AuditTrail(db, Buffer.from(auditKey), () => new Date());
    return {
      verify: (anchor) => trail.verify(anchor),
      head: () => trail.head(),
      close: () => {
        if (db.open) db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
