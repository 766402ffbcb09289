// Durability off the event loop (issue 18). With synchronous = FULL, SQLite fsyncs the WAL inside
// every COMMIT, on the daemon's only thread: a burst of fallback answers queued behind the disk
// (bench figure 6). The daemon's connection runs synchronous = NORMAL instead, where a COMMIT
// appends its frames to the WAL without syncing it, and this file makes them durable itself: one
// fdatasync of the WAL on a thread of its own, and a caller hears of its write only once an
// fdatasync that started after its COMMIT has returned. The guarantee is the one FULL gives: an
// acknowledged write survives a power cut. NORMAL keeps SQLite's own syncs of the WAL header and
// of checkpoints, which protect the file's consistency (sqlite.org/pragma.html#pragma_synchronous).
//
// Syncs do not overlap for the same callers: while one runs, later commits queue, and the next
// sync serves them all (the disk's own group commit). fsync on Linux flushes the file, whatever
// descriptor it is called on; a WAL that was deleted and made again under us (nlink 0) is reopened.
//
// Not libuv's thread pool (fs.fdatasync): its four threads also run dns.lookup, and with the
// network down — when the fallback must answer at once — lookups of MyCareNet's host can hold
// them for seconds. One worker thread per process does nothing but sync.
import { closeSync, fdatasyncSync, fstatSync, openSync } from "node:fs";
import { Worker } from "node:worker_threads";

export type Settle = (err?: NodeJS.ErrnoException) => void;

export class WalSync {
  readonly #path: string;
  #fd: number;
  #queued: Settle[] = [];
  #inFlight: Settle[] | null = null;
  #closed = false;
  #syncs = 0;
  #whenIdle: (() => void)[] = [];

  constructor(walPath: string) {
    this.#path = walPath;
    // Read-write: Windows' FlushFileBuffers needs write access.
    this.#fd = openSync(walPath, "r+");
    // Its thread starts now (tens of milliseconds), not during the first consultation.
    syncer.warm();
  }

  /** Whether a sync is running: what is committed now would wait for the next one. */
  get busy(): boolean {
    return this.#inFlight !== null;
  }

  /** Calls `fn` once no sync runs (at once if none does). */
  whenIdle(fn: () => void): void {
    if (this.#inFlight === null) fn();
    else this.#whenIdle.push(fn);
  }

  /** fdatasyncs of the WAL so far. */
  get syncs(): number {
    return this.#syncs;
  }

  /** Calls `settle` once everything committed before this call is on disk (or with the error). */
  after(settle: Settle): void {
    if (this.#closed) throw new Error("the WAL sync is closed");
    this.#queued.push(settle);
    if (this.#inFlight === null) this.#start();
  }

  /** Everything committed so far is on disk when this returns; every waiting caller is settled. */
  now(): void {
    const waiting = [...(this.#inFlight ?? []), ...this.#queued];
    this.#inFlight = null;
    this.#queued = [];
    let failure: NodeJS.ErrnoException | undefined;
    try {
      this.#sync();
    } catch (err) {
      failure = err as NodeJS.ErrnoException;
    }
    for (const settle of waiting) settle(failure);
    this.#idle();
    if (failure !== undefined) throw failure;
  }

  close(): void {
    if (this.#closed) return;
    try {
      this.now();
    } finally {
      this.#closed = true;
      if (this.#fd >= 0) closeSync(this.#fd);
    }
  }

  #sync(): void {
    this.#reopenIfReplaced();
    this.#syncs += 1;
    fdatasyncSync(this.#fd);
  }

  #start(): void {
    const batch = this.#queued;
    this.#queued = [];
    try {
      this.#reopenIfReplaced();
    } catch (err) {
      for (const settle of batch) settle(err as NodeJS.ErrnoException);
      return;
    }
    this.#inFlight = batch;
    this.#syncs += 1;
    syncer.fdatasync(this.#fd, (err) => {
      // `now()` may have settled this batch already (a synchronous write, or closing).
      if (this.#inFlight !== batch) return;
      this.#inFlight = null;
      for (const settle of batch) settle(err ?? undefined);
      if (this.#queued.length > 0 && !this.#closed) this.#start();
      else this.#idle();
    });
  }

  #idle(): void {
    const waiting = this.#whenIdle;
    this.#whenIdle = [];
    for (const fn of waiting) fn();
  }

  #reopenIfReplaced(): void {
    if (this.#fd >= 0 && fstatSync(this.#fd).nlink > 0) return;
    if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
    this.#fd = openSync(this.#path, "r+");
  }
}

// The syncing thread: CommonJS evaluated as is, so that it runs from the sources (tests) as from dist/.
const SYNCER = `
const { parentPort } = require("node:worker_threads");
const { fdatasyncSync } = require("node:fs");
parentPort.on("message", ({ id, fd }) => {
  let error = null;
  try {
    fdatasyncSync(fd);
  } catch (e) {
    error = { message: e.message, code: e.code, errno: e.errno, syscall: "fdatasync" };
  }
  parentPort.postMessage({ id, error });
});`;

interface SyncerError {
  message: string;
  code?: string;
  errno?: number;
  syscall: string;
}

/** One thread for every WAL of the process, started on first use; it keeps the process alive only while a sync runs. */
class Syncer {
  #worker: Worker | undefined;
  #next = 0;
  readonly #pending = new Map<number, Settle>();

  warm(): void {
    this.#worker ??= this.#start();
  }

  fdatasync(fd: number, settle: Settle): void {
    const worker = (this.#worker ??= this.#start());
    const id = ++this.#next;
    this.#pending.set(id, settle);
    if (this.#pending.size === 1) worker.ref();
    worker.postMessage({ id, fd });
  }

  #start(): Worker {
    // execArgv []: not the process's flags (--cpu-prof would make it write a profile of its own
    // over the main thread's, under the same name).
    const worker = new Worker(SYNCER, { eval: true, execArgv: [], stdout: false, stderr: false });
    worker.unref();
    worker.on("message", ({ id, error }: { id: number; error: SyncerError | null }) => {
      const settle = this.#pending.get(id);
      this.#pending.delete(id);
      if (this.#pending.size === 0) worker.unref();
      settle?.(error === null ? undefined : Object.assign(new Error(error.message), error));
    });
    const lost = (err: Error): void => {
      // The thread died: nothing it was syncing can be said durable; the next sync starts another.
      if (this.#worker === worker) this.#worker = undefined;
      const pending = [...this.#pending.values()];
      this.#pending.clear();
      const failure = Object.assign(err, { code: "ESYNCER", syscall: "fdatasync" });
      for (const settle of pending) settle(failure);
    };
    worker.on("error", lost);
    worker.on("exit", (code) => lost(new Error(`the WAL's sync thread exited (${code})`)));
    return worker;
  }
}

const syncer = new Syncer();
