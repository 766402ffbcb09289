// Group commit: writes that arrive together share one transaction and one fsync, and the fsync
// runs off the event loop (wal-sync.ts), so a burst of N consultations costs one sync of the WAL
// instead of N, and the daemon's thread never waits for the disk (bench/README.md, figures 2, 6).
//
// better-sqlite3 is synchronous, so the group is a transaction left open for the rest of the
// current turn of the event loop. A grouped write runs at once in its own SAVEPOINT inside it:
// its rows are visible to the next read on this connection (read-your-writes), and a write that
// throws rolls back its savepoint only, so it fails alone and the others stay in the group. The
// group commits in the check phase (setImmediate), after the turn's I/O callbacks, and each
// caller's promise settles only once that COMMIT is durable: resolved when an fdatasync of the WAL
// begun after it has returned (at once, where SQLite syncs at COMMIT itself: no WAL), rejected
// (every caller of that group) if the COMMIT or the sync fails; a failed COMMIT's rows are rolled
// back. Nothing is retried: its callers answer STORE_UNAVAILABLE, as a lone write would.
//
// Synchronous writes (`now`) keep their contract, durable on return: one that arrives while a
// group is open joins it, commits it and syncs the WAL on the spot, settling every waiting caller.
//
// Reads on this connection see a group's rows before they are durable. Everything answered from
// such a read that is itself a write (every consultation is) is synced in the same or a later
// fdatasync, so it is never acknowledged before what it read is on disk; a pure read (a lookup)
// may show a row that is lost if the machine dies within that moment — its writer was not
// answered either.
import type Database from "better-sqlite3";
import type { WalSync } from "./wal-sync.js";

export interface CommitStats {
  /** Top-level writes (grouped or not), each one caller. */
  writes: number;
  /** COMMITs that returned. */
  commits: number;
  /** Syncs of the WAL that made commits durable (one per commit without a WAL sync: SQLite's own). */
  syncs: number;
  /** COMMITs, or syncs of the WAL, that failed; each rejected all of its group's callers. */
  failedCommits: number;
  /** Largest number of writes one commit held. */
  largestGroup: number;
}

interface Waiter {
  settle(err?: unknown): void;
}

export class GroupCommit {
  readonly #db: Database.Database;
  readonly #mapError: (err: unknown) => unknown;
  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;
  readonly #rollback: Database.Statement;
  readonly #wal: WalSync | undefined;
  #waiters: Waiter[] = [];
  #open = false;
  #groupWrites = 0;
  #depth = 0;
  readonly #stats = { writes: 0, commits: 0, failedCommits: 0, largestGroup: 0 };

  /** Without `wal`, SQLite makes a COMMIT durable itself (synchronous = FULL). */
  constructor(db: Database.Database, mapError: (err: unknown) => unknown, wal?: WalSync) {
    this.#db = db;
    this.#mapError = mapError;
    this.#wal = wal;
    this.#begin = db.prepare("BEGIN IMMEDIATE");
    this.#commit = db.prepare("COMMIT");
    this.#rollback = db.prepare("ROLLBACK");
  }

  stats(): CommitStats {
    return { ...this.#stats, syncs: this.#wal?.syncs ?? this.#stats.commits };
  }

  /** Runs `fn` in a write transaction, durable when it returns (it commits an open group with it). */
  now<T>(fn: () => T): T {
    // A write inside another write's function is part of that write (a savepoint).
    if (this.#depth > 0) return this.#db.transaction(fn)();
    const result = this.#run(fn);
    const waiters = this.#commitGroup();
    if (this.#wal !== undefined) {
      try {
        this.#wal.now();
      } catch (raw) {
        this.#stats.failedCommits += 1;
        const err = this.#mapError(raw);
        for (const w of waiters) w.settle(err);
        throw err;
      }
    }
    for (const w of waiters) w.settle();
    return result;
  }

  /** Runs `fn` now in the open group; resolves with its result once the group's commit is durable. */
  later<T>(fn: () => T): Promise<T> {
    if (this.#depth > 0) return Promise.reject(new Error("a grouped write cannot run inside another write"));
    let result: T;
    try {
      result = this.#run(fn);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return new Promise<T>((resolve, reject) => {
      this.#waiters.push({ settle: (err) => (err === undefined ? resolve(result) : reject(err)) });
    });
  }

  /** Commits the open group and makes every commit durable before returning; then no more writes. */
  close(): void {
    try {
      this.flush();
    } finally {
      this.#wal?.close();
    }
  }

  /** Commits the open group now; its callers settle once it is durable. Throws if it fails. */
  flush(): void {
    const waiters = this.#commitGroup();
    if (this.#wal === undefined || waiters.length === 0) {
      for (const w of waiters) w.settle();
      return;
    }
    this.#wal.after((syncError) => {
      const err = syncError === undefined ? undefined : this.#mapError(syncError);
      if (err !== undefined) this.#stats.failedCommits += 1;
      for (const w of waiters) w.settle(err);
    });
  }

  /** COMMITs the open group and hands back its callers, not yet settled; a failed COMMIT rejects them. */
  #commitGroup(): Waiter[] {
    if (!this.#open) return [];
    const waiters = this.#waiters;
    const writes = this.#groupWrites;
    this.#waiters = [];
    this.#groupWrites = 0;
    this.#open = false;
    try {
      this.#commit.run();
    } catch (raw) {
      // A failed COMMIT may leave the transaction open (a deferred constraint) or not (I/O error).
      if (this.#db.inTransaction) this.#rollback.run();
      this.#stats.failedCommits += 1;
      const err = this.#mapError(raw);
      for (const w of waiters) w.settle(err);
      throw err;
    }
    this.#stats.commits += 1;
    this.#stats.largestGroup = Math.max(this.#stats.largestGroup, writes);
    return waiters;
  }

  #run<T>(fn: () => T): T {
    this.#stats.writes += 1;
    this.#depth += 1;
    try {
      if (!this.#open) {
        this.#begin.run();
        this.#open = true;
        setImmediate(this.#flushLater);
      }
      this.#groupWrites += 1;
      // Nested in the open transaction, better-sqlite3 runs `fn` in a SAVEPOINT.
      return this.#db.transaction(fn)();
    } catch (err) {
      const mapped = this.#mapError(err);
      // Some failures (SQLITE_FULL, I/O errors) make SQLite roll the whole transaction back:
      // the group is gone, and so are its callers' rows.
      if (this.#open && !this.#db.inTransaction) this.#abandon(mapped);
      throw mapped;
    } finally {
      this.#depth -= 1;
    }
  }

  #abandon(err: unknown): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    this.#groupWrites = 0;
    this.#open = false;
    this.#stats.failedCommits += 1;
    for (const w of waiters) w.settle(err);
  }

  readonly #flushLater = (): void => {
    // While the WAL is being synced, a COMMIT now would only wait for the next sync: the group
    // stays open and takes in what arrives meanwhile, and commits when the disk is free. Under
    // load a group is then one sync's worth of writes, not one turn's.
    if (this.#wal?.busy === true) {
      this.#wal.whenIdle(this.#flushLater);
      return;
    }
    try {
      this.flush();
    } catch {
      // Already delivered to every caller of the group.
    }
  };
}
