import { readFileSync, statSync, writeFileSync } from "node:fs";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { entryHash, sealOf } from "./audit-chain.js";
import { loadOrCreateAuditKey } from "./audit-key.js";
import type { Store } from "./store.js";
import { AUDIT_KEY, ManualClock, NEWBORN, open, PATIENT, TempDir } from "./__fixtures__/store-fixture.js";

let dir: TempDir;
let store: Store;
const clock = new ManualClock("2024-03-01T08:00:00Z");
beforeEach(() => {
  dir = new TempDir();
  store = open(dir.file(), { now: clock.now });
});
afterEach(() => {
  store.close();
  dir.remove();
});

const NISS_DIGITS = PATIENT.slice("niss:".length);

function fill(n: number): void {
  for (let i = 1; i <= n; i++) {
    store.appendAudit({
      actor: `counter-${i}`,
      role: "dispensing",
      action: "consultation.recorded",
      patientKey: i % 2 === 0 ? PATIENT : NEWBORN,
      detail: { consultation: `c-${i}` },
    });
  }
}

/** Raw access, as someone with the file would have. */
function tamper(sql: string, ...params: unknown[]): void {
  const db = new Database(dir.file());
  db.exec("DROP TRIGGER IF EXISTS audit_append_only_update");
  db.exec("DROP TRIGGER IF EXISTS audit_append_only_delete");
  db.exec("DROP TRIGGER IF EXISTS audit_append_in_order");
  db.prepare(sql).run(...params);
  db.close();
}

describe("audit trail", () => {
  it("chains the entries and verifies", () => {
    fill(10);
    expect(store.verifyAudit()).toEqual({ ok: true, entries: 10 });
    const entries = store.auditEntries();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(entries[0]?.prevHash).toBe("0".repeat(64));
    for (let i = 1; i < entries.length; i++) expect(entries[i]?.prevHash).toBe(entries[i - 1]?.hash);
    expect(store.auditHead()).toEqual({ seq: 10, hash: entries[9]?.hash });
  });

  it("names the patient by a keyed pseudonym only: the NISS is nowhere in the audit table", () => {
    fill(4);
    const raw = new Database(dir.file(), { readonly: true });
    const dump = JSON.stringify(raw.prepare("SELECT * FROM audit").all());
    raw.close();
    expect(dump).not.toContain(NISS_DIGITS);
    expect(dump).not.toContain("000113 044M86");
    expect(dump).toContain(store.patientPseudonym(PATIENT));
    expect(store.patientPseudonym(PATIENT)).toMatch(/^[0-9a-f]{64}$/);
    expect(store.patientPseudonym(PATIENT)).not.toBe(store.patientPseudonym(NEWBORN));
  });

  it("gives the same pseudonym across restarts with the same key, another with another key", () => {
    const before = store.patientPseudonym(PATIENT);
    store.close();
    store = open(dir.file());
    expect(store.patientPseudonym(PATIENT)).toBe(before);
    store.close();
    store = open(dir.file(), { auditKey: Buffer.alloc(32, 9) });
    expect(store.patientPseudonym(PATIENT)).not.toBe(before);
  });

  it("refuses a detail that carries the patient's identifier", () => {
    expect(() =>
      store.appendAudit({
        actor: "a",
        role: "admin",
        action: "session.opened",
        patientKey: PATIENT,
        detail: { note: `see ${NISS_DIGITS}` },
      }),
    ).toThrow(TypeError);
    expect(store.auditHead().seq).toBe(0);
  });

  it("is append-only: UPDATE, DELETE and out-of-sequence INSERT abort", () => {
    fill(3);
    const db = new Database(dir.file());
    expect(() => db.prepare("UPDATE audit SET actor = 'x' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM audit WHERE seq = 3").run()).toThrow(/append-only/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO audit (seq, at, actor, role, action, prev_hash, hash, seal) VALUES (9, 'x', 'x', 'x', 'x', 'x', 'x', 'x')",
        )
        .run(),
    ).toThrow(/in sequence/);
    db.close();
    expect(store.verifyAudit()).toEqual({ ok: true, entries: 3 });
  });

  describe("with the triggers dropped", () => {
    it("finds an edited row at its seq", () => {
      fill(10);
      tamper("UPDATE audit SET actor = 'someone-else' WHERE seq = 4");
      expect(store.verifyAudit()).toEqual({ ok: false, firstBadSeq: 4, problem: "altered" });
    });

    it("finds an edited detail at its seq", () => {
      fill(10);
      tamper(`UPDATE audit SET detail_json = '{"consultation":"c-forged"}' WHERE seq = 7`);
      expect(store.verifyAudit()).toEqual({ ok: false, firstBadSeq: 7, problem: "altered" });
    });

    it("finds an edit whose hash was recomputed (no key to seal it)", () => {
      fill(10);
      const row = store.auditEntries(6, 1)[0]!;
      const hash = entryHash(row.prevHash, { ...row, actor: "someone-else" });
      tamper(
        "UPDATE audit SET actor = 'someone-else', hash = ?, seal = ? WHERE seq = 6",
        hash,
        sealOf(Buffer.alloc(32, 9), hash),
      );
      expect(store.verifyAudit()).toEqual({ ok: false, firstBadSeq: 6, problem: "altered" });
    });

    it("finds a deleted row at its seq", () => {
      fill(10);
      tamper("DELETE FROM audit WHERE seq = 5");
      expect(store.verifyAudit()).toEqual({ ok: false, firstBadSeq: 5, problem: "removed" });
    });

    it("finds a deleted row when the later ones were renumbered", () => {
      fill(10);
      tamper("DELETE FROM audit WHERE seq = 5");
      tamper("UPDATE audit SET seq = seq - 1 WHERE seq > 5");
      expect(store.verifyAudit()).toEqual({ ok: false, firstBadSeq: 5, problem: "removed" });
    });

    it("finds an inserted row at its seq", () => {
      fill(10);
      // Make room at seq 6 (highest first, so no two rows share a seq on the way), then slip in a
      // row chained properly onto row 5, sealed with a key that is not the daemon's.
      tamper("UPDATE audit SET seq = -seq WHERE seq >= 6");
      tamper("UPDATE audit SET seq = 1 - seq WHERE seq < 0");
      const prev = store.auditEntries(5, 1)[0]!;
      const content = {
        at: "2024-03-01T08:00:00.000Z",
        actor: "ghost",
        role: "admin",
        action: "session.opened",
        patient: null,
        detail: null,
      };
      const hash = entryHash(prev.hash, content);
      tamper(
        "INSERT INTO audit (seq, at, actor, role, action, patient, detail_json, prev_hash, hash, seal) VALUES (6, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)",
        content.at,
        content.actor,
        content.role,
        content.action,
        prev.hash,
        hash,
        sealOf(Buffer.alloc(32, 9), hash),
      );
      expect(store.auditEntries().map((e) => e.actor)[5]).toBe("ghost");
      expect(store.verifyAudit()).toEqual({ ok: false, firstBadSeq: 6, problem: "inserted" });
    });

    it("finds a row appended by someone without the key", () => {
      fill(3);
      const head = store.auditHead();
      const content = {
        at: "2024-03-01T08:00:00.000Z",
        actor: "ghost",
        role: "admin",
        action: "session.opened",
        patient: null,
        detail: null,
      };
      const hash = entryHash(head.hash, content);
      tamper(
        "INSERT INTO audit (seq, at, actor, role, action, prev_hash, hash, seal) VALUES (4, ?, ?, ?, ?, ?, ?, ?)",
        content.at,
        content.actor,
        content.role,
        content.action,
        head.hash,
        hash,
        "0".repeat(64),
      );
      expect(store.verifyAudit()).toEqual({ ok: false, firstBadSeq: 4, problem: "inserted" });
    });

    it("finds rows cut from the end against a head kept earlier", () => {
      fill(6);
      const anchor = store.auditHead();
      tamper("DELETE FROM audit WHERE seq >= 5");
      expect(store.verifyAudit()).toEqual({ ok: true, entries: 4 });
      expect(store.verifyAudit(anchor)).toEqual({ ok: false, firstBadSeq: 5, problem: "removed" });
    });
  });
});

describe("audit key file", () => {
  it("is created once with mode 0600 and read back the same", () => {
    const file = `${dir.path}/audit.key`;
    const key = loadOrCreateAuditKey(file);
    expect(key).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateAuditKey(file).equals(key)).toBe(true);
    expect(readFileSync(file, "utf8").trim()).toBe(key.toString("hex"));
  });

  it.each([
    ["too short", "abcd\n"],
    ["not hexadecimal", "zz".repeat(32)],
  ])("refuses a key file %s", (_what, content) => {
    const file = `${dir.path}/bad.key`;
    writeFileSync(file, content);
    expect(() => loadOrCreateAuditKey(file)).toThrow(/at least 32 bytes/);
  });

  it("refuses a store opened with a short key", () => {
    expect(() => open(dir.file("other.sqlite"), { auditKey: AUDIT_KEY.subarray(0, 16) })).toThrow(RangeError);
  });
});
