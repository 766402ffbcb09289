// Group commit: writes that arrive together share one transaction and one fsync. With WAL and
// synchronous = FULL a COMMIT is durable when it returns, and its fsync is most of a write's cost
// (bench/README.md, figure 2), so a burst of N consultations costs one fsync instead of N.
//
// better-sqlite3 is synchronous, so the group is a transaction left open for the rest of the
// current turn of the event loop. A grouped write runs at once in its own SAVEPOINT inside it:
// its rows are visible to the next read on this connection (read-your-writes), and a write that
// throws rolls back its savepoint only, so it fails alone and the others stay in the group. The
// group commits in the check phase (setImmediate), after the turn's I/O callbacks, and each
// caller's promise settles only then: resolved once the COMMIT holding its rows has returned,
// rejected (every caller of that group, and their rows rolled back) if the COMMIT fails.
// A failed commit is not retried: its callers answer STORE_UNAVAILABLE, as a lone write would.
//
// Synchronous writes (`now`) keep their contract, durable on return: one that arrives while a
// group is open joins it and commits it on the spot, settling the group's callers early.
//
// Reads on this connection see a group's rows before its commit. Everything answered from such a
// read that is itself a write (every consultation is) commits in the same or a later group, so it
// is never acknowledged before what it read is on disk; a pure read (a lookup) may show a row
// that is lost if the process dies within that turn — its writer was not answered either.
import type Database from "better-sqlite3";

export interface CommitStats {
  /** Top-level writes (grouped or not), each one caller. */
  writes: number;
  /** COMMITs that returned: one fsync of the WAL each (synchronous = FULL). */
  commits: number;
  /** COMMITs that failed; each rejected all of its group's callers. */
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
  #waiters: Waiter[] = [];
  #open = false;
  #groupWrites = 0;
  #depth = 0;
  readonly #stats: CommitStats = { writes: 0, commits: 0, failedCommits: 0, largestGroup: 0 };

  constructor(db: Database.Database, mapError: (err: unknown) => unknown) {
    this.#db = db;
    this.#mapError = mapError;
    this.#begin = db.prepare("BEGIN IMMEDIATE");
    this.#commit = db.prepare("COMMIT");
    this.#rollback = db.prepare("ROLLBACK");
  }

  stats(): CommitStats {
    return { ...this.#stats };
  }

  /** Runs `fn` in a write transaction, durable when it returns (it commits an open group with it). */
  now<T>(fn: () => T): T {
    // A write inside another write's function is part of that write (a savepoint).
    if (this.#depth > 0) return this.#db.transaction(fn)();
    const result = this.#run(fn);
    this.flush();
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

  /** Commits the open group now (closing the store, or a synchronous write). Throws if it fails. */
  flush(): void {
    if (!this.#open) return;
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
    for (const w of waiters) w.settle();
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
    try {
      this.flush();
    } catch {
      // Already delivered to every caller of the group.
    }
  };
}
