// The SQLite file: durability settings, schema, and the write transaction every change goes
// through. "An acknowledged consultation is on disk before the HTTP answer leaves": a write's
// caller hears of it once its commit is in the WAL and the WAL has been fsynced (wal-sync.ts);
// without a WAL file (":memory:"), SQLite syncs at every COMMIT (synchronous = FULL).
import { closeSync, existsSync, fsyncSync, openSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { CodedError } from "../errors.js";
import { GroupCommit } from "./group-commit.js";
import { migrate } from "./migrations.js";
import { WalSync } from "./wal-sync.js";

export const BUSY_TIMEOUT_MS = 5_000;
/**
 * SQLite's page cache for the daemon's connection, in KiB. better-sqlite3 builds SQLite with 16 MB
 * (SQLITE_DEFAULT_CACHE_SIZE=-16000), which a pharmacy's file outgrows in days: the daemon's
 * memory then rose by 16 MB before it levelled (the soak, issue 18). The hot pages (today's
 * consultations, the index interiors, the audit chain's tail) fit in 4 MiB; a miss is a read from
 * the operating system's file cache, microseconds.
 */
export const PAGE_CACHE_KIB = 4096;

export function openDatabase(file: string, busyTimeoutMs = BUSY_TIMEOUT_MS): Database.Database {
  // The file holds NISS numbers and payment commitments: readable by the daemon's user only.
  // SQLite gives the -wal and -shm files the same permissions as the database.
  if (file !== ":memory:" && !existsSync(file)) closeSync(openSync(file, "a", 0o600));
  const db = new Database(file, { timeout: busyTimeoutMs });
  let wal: WalSync | undefined;
  try {
    const wantWal = db.pragma("journal_mode = WAL", { simple: true }) === "wal";
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    // brochure §5.3 retention: purged rows are overwritten, not left readable in free pages.
    db.pragma("secure_delete = ON");
    migrate(db);
    if (wantWal && existsSync(`${file}-wal`)) {
      wal = new WalSync(`${file}-wal`);
      syncDirectory(dirname(file));
      db.pragma("synchronous = NORMAL");
    }
    groups.set(db, new GroupCommit(db, storageError, wal));
    return db;
  } catch (err) {
    wal?.close();
    db.close();
    throw err;
  }
}

/** The WAL's directory entry on disk, so that a power cut cannot lose the file itself. */
function syncDirectory(dir: string): void {
  if (process.platform === "win32") return; // directories cannot be opened, nor need syncing
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

// Failures of the storage itself, as opposed to a refused row (constraint) or a bug.
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB|PROTOCOL|NOMEM)/;

export function isSqliteError(err: unknown): err is Error & { code: string } {
  return err instanceof Database.SqliteError;
}

function storageError(err: unknown): unknown {
  if (isSqliteError(err) && UNAVAILABLE.test(err.code)) {
    return new CodedError("STORE_UNAVAILABLE", { sqlite: err.code }, { cause: err });
  }
  // The WAL's fdatasync failed (EIO, ENOSPC): the commit cannot be said to be on disk.
  if (err instanceof Error && "syscall" in err && typeof (err as NodeJS.ErrnoException).code === "string") {
    return new CodedError(
      "STORE_UNAVAILABLE",
      { fsync: (err as NodeJS.ErrnoException).code },
      { cause: err },
    );
  }
  return err;
}

const groups = new WeakMap<Database.Database, GroupCommit>();

/** The connection's group commit (group-commit.ts): made by openDatabase, or on first use. */
export function groupOf(db: Database.Database): GroupCommit {
  let group = groups.get(db);
  if (group === undefined) {
    group = new GroupCommit(db, storageError);
    groups.set(db, group);
  }
  return group;
}

/**
 * Runs `fn` in one IMMEDIATE transaction (the write lock is taken first, so two processes never
 * deadlock upgrading a read), durable when it returns. Everything or nothing: any throw rolls the
 * whole change back. Storage failures come out as STORE_UNAVAILABLE (503: nothing was recorded,
 * try again). Inside another write's function it is part of that write.
 */
export function inWriteTransaction<T>(db: Database.Database, fn: () => T): T {
  return groupOf(db).now(fn);
}

/**
 * The same, group-committed: `fn` runs now (its rows are visible to the next read), and the
 * promise resolves once the commit that holds them is durable. It fails alone if `fn` throws, and
 * with its whole group if that commit fails (group-commit.ts).
 */
export function inGroupedWrite<T>(db: Database.Database, fn: () => T): Promise<T> {
  return groupOf(db).later(fn);
}
