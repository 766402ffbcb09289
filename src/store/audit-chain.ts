// The hash chain of the audit trail, and its verification. Pure: no database here.
//
// Each entry stores prev_hash, hash = SHA-256(prev_hash ‖ canonical JSON of the entry) and a
// seal = HMAC-SHA256(audit key, hash). Anyone can check the chain without the key; the seal shows
// that the daemon (which holds the key, kept outside the database) wrote the entry, so rows
// rewritten or forged with a recomputed hash are caught too. The sequence number is not hashed:
// order is carried by the links, so a deletion or an insertion shows where it happened.
import { createHash, createHmac } from "node:crypto";
import { canonicalJson } from "./canonical-json.js";

export const GENESIS_HASH = "0".repeat(64);

/** What the hash covers. `patient` is the keyed pseudonym, never the NISS. */
export interface AuditContent {
  at: string;
  actor: string;
  role: string;
  action: string;
  patient: string | null;
  detail: Readonly<Record<string, unknown>> | null;
}

export interface AuditRow extends AuditContent {
  seq: number;
  prevHash: string;
  hash: string;
  seal: string;
}

export type AuditProblem = "altered" | "removed" | "inserted";

export type AuditVerification =
  { ok: true; entries: number } | { ok: false; firstBadSeq: number; problem: AuditProblem };

/** A head seen earlier (logged, exported): the chain must still reach it unchanged. */
export interface AuditAnchor {
  seq: number;
  hash: string;
}

export function entryHash(prevHash: string, content: AuditContent): string {
  const { at, actor, role, action, patient, detail } = content;
  return createHash("sha256")
    .update(prevHash, "utf8")
    .update(canonicalJson({ at, actor, role, action, patient, detail }), "utf8")
    .digest("hex");
}

export function sealOf(key: Buffer, hash: string): string {
  return createHmac("sha256", key)
    .update("mcn-rights audit seal\0", "utf8")
    .update(hash, "utf8")
    .digest("hex");
}

/**
 * Walks the rows in seq order and names the first one that breaks the chain:
 * - removed: a sequence number is missing, or an intact row links to a row that is not there;
 * - inserted: the chain goes on past a row as if it were not there, or the last row is intact
 *   but not sealed with the daemon's key (a forged append and a rewritten last row look alike);
 * - altered: a row no longer matches its hash, or was rewritten with a new hash but no seal.
 * Removing rows at the very end leaves no trace in the rows themselves: pass an anchor.
 */
export function verifyChain(rows: Iterable<AuditRow>, key: Buffer, anchor?: AuditAnchor): AuditVerification {
  const it = rows[Symbol.iterator]();
  try {
    return walk(it, key, anchor);
  } finally {
    // An early answer must still release the rows' source (an open database cursor).
    it.return?.();
  }
}

function walk(it: Iterator<AuditRow>, key: Buffer, anchor: AuditAnchor | undefined): AuditVerification {
  let prevHash = GENESIS_HASH;
  let beforePrevHash: string | undefined;
  let expected = 1;
  for (let next = it.next(); !next.done;) {
    const row = next.value;
    next = it.next();
    const following = next.done ? undefined : next.value;
    if (row.seq !== expected) return { ok: false, firstBadSeq: expected, problem: "removed" };

    const contentOk = entryHash(row.prevHash, row) === row.hash;
    const linkOk = row.prevHash === prevHash;
    const sealOk = sealOf(key, row.hash) === row.seal;
    if (!(contentOk && linkOk && sealOk)) {
      const bad = (problem: AuditProblem, seq = row.seq): AuditVerification => ({
        ok: false,
        firstBadSeq: seq,
        problem,
      });
      if (following !== undefined && following.prevHash === prevHash) return bad("inserted");
      if (!contentOk) return bad("altered");
      if (!linkOk) return row.prevHash === beforePrevHash ? bad("inserted", row.seq - 1) : bad("removed");
      return bad(following === undefined ? "inserted" : "altered");
    }
    if (anchor !== undefined && row.seq === anchor.seq && row.hash !== anchor.hash) {
      return { ok: false, firstBadSeq: row.seq, problem: "altered" };
    }
    beforePrevHash = prevHash;
    prevHash = row.hash;
    expected++;
  }
  const entries = expected - 1;
  if (anchor !== undefined && entries < anchor.seq)
    return { ok: false, firstBadSeq: entries + 1, problem: "removed" };
  return { ok: true, entries };
}
