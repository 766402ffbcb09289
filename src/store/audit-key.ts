// The audit key (patient pseudonyms and audit seals) lives in its own file beside the database,
// never inside it: whoever copies the database alone can neither reverse a pseudonym nor re-seal
// a rewritten audit entry. Lose the file and old pseudonyms can no longer be matched, and
// verifyAudit reports the old entries as altered: back it up with the database.
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

export const AUDIT_KEY_BYTES = 32;

/** Reads the key (hex) from `file`, or creates the file (mode 0600) with a new random key. */
export function loadOrCreateAuditKey(file: string): Buffer {
  try {
    writeFileSync(file, `${randomBytes(AUDIT_KEY_BYTES).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return readAuditKey(file);
}

/** Reads an existing key file, never creating one (read-only tools: `mcn-rights audit verify`). */
export function readAuditKey(file: string): Buffer {
  const text = readFileSync(file, "utf8").trim();
  if (!/^([0-9a-f]{2})+$/i.test(text) || text.length < AUDIT_KEY_BYTES * 2) {
    throw new Error(`the audit key file ${file} must hold at least ${AUDIT_KEY_BYTES} bytes in hexadecimal`);
  }
  return Buffer.from(text, "hex");
}
