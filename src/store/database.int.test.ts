import { statSync } from "node:fs";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CodedError } from "../errors.js";
import { openDatabase, PAGE_CACHE_KIB } from "./database.js";
import { MIGRATIONS, SCHEMA_VERSION, migrate, schemaVersion } from "./migrations.js";
import { open, onlineRecord, TempDir } from "./__fixtures__/store-fixture.js";

let dir: TempDir;
beforeEach(() => {
  dir = new TempDir();
});
afterEach(() => {
  dir.remove();
});

const tables = (db: Database.Database): string[] =>
  db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_schema WHERE type IN ('table', 'index', 'trigger') ORDER BY name",
    )
    .all()
    .map((r) => r.name);

describe("migrations", () => {
  it("bring an empty file to the current version, and re-opening changes nothing", () => {
    const file = dir.file();
    const first = openDatabase(file);
    expect(schemaVersion(first)).toBe(SCHEMA_VERSION);
    const schema = tables(first);
    expect(schema).toEqual(
      expect.arrayContaining([
        "audit",
        "audit_append_only_delete",
        "audit_append_only_update",
        "commitments",
        "consultations",
        "fallback_answers",
        "known_patients",
        "recalls",
      ]),
    );
    first.close();

    const again = openDatabase(file);
    expect(migrate(again)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    expect(tables(again)).toEqual(schema);
    again.close();
  });

  it("apply every step in order from version 0", () => {
    const db = new Database(dir.file());
    expect(migrate(db)).toEqual({ from: 0, to: MIGRATIONS.length });
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.close();
  });

  it("refuse a database written by a newer daemon, and leave it as it is", () => {
    const file = dir.file();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(/newer than this daemon/);
    const check = new Database(file);
    expect(schemaVersion(check)).toBe(SCHEMA_VERSION + 1);
    expect(tables(check)).toEqual([]);
    check.close();
  });

  it("roll a failing step back whole", () => {
    const db = new Database(dir.file());
    db.exec("CREATE TABLE consultations (x)"); // the first step will collide with it
    expect(() => migrate(db)).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(tables(db)).toEqual(["consultations"]);
    db.close();
  });
});

describe("durability settings", () => {
  it("WAL, synchronous NORMAL with the WAL's own sync (group-commit.int.test.ts), foreign keys, busy timeout, secure delete", () => {
    const db = openDatabase(dir.file(), 1234);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("synchronous", { simple: true })).toBe(1);
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(db.pragma("busy_timeout", { simple: true })).toBe(1234);
    expect(db.pragma("secure_delete", { simple: true })).toBe(1);
    db.close();
  });

  it("a bounded page cache of PAGE_CACHE_KIB, not the 16 MB better-sqlite3 builds SQLite with", () => {
    const raw = new Database(dir.file("raw.sqlite"));
    expect(raw.pragma("cache_size", { simple: true })).toBe(-16000);
    raw.close();
    const db = openDatabase(dir.file());
    expect(db.pragma("cache_size", { simple: true })).toBe(-PAGE_CACHE_KIB);
    expect(PAGE_CACHE_KIB).toBeLessThan(16000);
    db.close();
  });

  it("creates the file readable by its owner only", () => {
    const file = dir.file();
    openDatabase(file).close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe("storage failures", () => {
  it("come out as STORE_UNAVAILABLE and record nothing", () => {
    const file = dir.file();
    const store = open(file, { busyTimeoutMs: 50 });
    const other = new Database(file);
    other.exec("BEGIN IMMEDIATE");
    try {
      store.recordConsultation(onlineRecord({ id: "c-busy" }));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(CodedError);
      expect((err as CodedError).code).toBe("STORE_UNAVAILABLE");
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    expect(store.getConsultation("c-busy")).toBeUndefined();
    store.recordConsultation(onlineRecord({ id: "c-after" }));
    expect(store.getConsultation("c-after")).toBeDefined();
    store.close();
  });
});
