// Group commit on a real SQLite file (WAL, synchronous = NORMAL and the WAL's own fdatasync):
// writes of one turn share one commit, each promise settles once the commit holding its rows has
// been synced, a failing write fails alone and a failing commit or sync fails exactly its group.
// Commits and syncs are counted by the store, not timed.
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { documentFixture } from "../consultation/__fixtures__/document.js";
import { CodedError } from "../errors.js";
import { GroupCommit } from "./group-commit.js";
import { openDatabase } from "./database.js";
import { WalSync, type Settle } from "./wal-sync.js";
import type { Store } from "./store.js";
import {
  commitment,
  committedRows,
  fallbackRecord,
  ManualClock,
  onlineRecord,
  open,
  OTHER_PATIENT,
  PATIENT,
  sequentialIds,
  TempDir,
} from "./__fixtures__/store-fixture.js";

let dir: TempDir;
let store: Store;
const clock = new ManualClock("2011-11-30T12:00:00Z");
beforeEach(() => {
  dir = new TempDir();
  store = open(dir.file(), { now: clock.now, newId: sequentialIds() });
});
afterEach(() => {
  store.close();
  dir.remove();
});

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("grouped writes", () => {
  it("share one commit when they arrive in the same turn, and are durable when they resolve", async () => {
    const before = store.commitStats();
    const writes = Array.from({ length: 20 }, (_, i) =>
      store.grouped.recordConsultation(
        onlineRecord({
          reference: `REF-${i}`,
          commitment: commitment({ paymentApproval: String(i).padStart(32, "A") }),
        }),
      ),
    );
    // Read-your-writes on the store's connection; nothing committed for anyone else yet.
    expect(store.getConsultation("id-000001")?.reference).toBe("REF-0");
    expect(committedRows(dir.file(), "consultations")).toBe(0);

    const ids = await Promise.all(writes);
    expect(ids).toHaveLength(20);
    expect(committedRows(dir.file(), "consultations")).toBe(20);
    expect(committedRows(dir.file(), "commitments")).toBe(20);
    expect(committedRows(dir.file(), "audit")).toBe(20);
    const after = store.commitStats();
    expect(after.writes - before.writes).toBe(20);
    expect(after.commits - before.commits).toBe(1);
    expect(after.largestGroup).toBe(20);
    expect(store.verifyAudit().ok).toBe(true);
  });

  it("commit separately when they arrive in separate turns", async () => {
    const before = store.commitStats().commits;
    await store.grouped.recordConsultation(onlineRecord({ reference: "A" }));
    await turn();
    await store.grouped.recordConsultation(onlineRecord({ reference: "B" }));
    expect(store.commitStats().commits - before).toBe(2);
  });

  it("mixes consultations, fallback answers, recalls and audit entries in one commit", async () => {
    const id = await store.grouped.recordConsultation(
      fallbackRecord({ outcome: "needs-pharmacist", guarantee: "none" }),
    );
    const before = store.commitStats().commits;
    const auditBefore = committedRows(dir.file(), "audit");
    await Promise.all([
      store.grouped.recordConsultation(onlineRecord({ patientKey: OTHER_PATIENT })),
      store.grouped.appendAudit({ actor: "t", role: "admin", action: "session.opened" }),
      store.grouped.enqueueRecall(id, "2011-11-12", PATIENT),
      store.grouped.recordFallbackAnswers({
        consultationId: id,
        answers: [{ node: 5, answer: false }],
        by: { name: "ph", role: "pharmacist" },
        outcome: {
          outcome: "last-known",
          guarantee: "none",
          answer: documentFixture({ outcome: "last-known", guarantee: "none" }),
          fallback: { reason: "timeout", path: [1, 3, 5], question: null },
        },
      }),
    ]);
    expect(store.commitStats().commits - before).toBe(1);
    expect(committedRows(dir.file(), "audit") - auditBefore).toBe(3);
    expect(store.fallbackAnswers(id)).toHaveLength(1);
    expect(store.verifyAudit().ok).toBe(true);
  });

  it("fail alone: a write that throws rolls back its own rows, the others of its group commit", async () => {
    const before = store.commitStats().commits;
    const results = await Promise.allSettled([
      store.grouped.recordConsultation(onlineRecord({ id: "same", reference: "first" })),
      store.grouped.recordConsultation(onlineRecord({ id: "same", reference: "second" })),
      store.grouped.recordFallbackAnswers({
        consultationId: "missing",
        answers: [{ node: 5, answer: true }],
        by: { name: "ph", role: "pharmacist" },
        outcome: {
          outcome: "last-known",
          guarantee: "none",
          answer: documentFixture({ outcome: "last-known", guarantee: "none" }),
          fallback: { reason: "timeout", path: [1], question: null },
        },
      }),
      store.grouped.recordConsultation(onlineRecord({ id: "other", patientKey: OTHER_PATIENT })),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
    const third = results[2];
    expect(third?.status === "rejected" && third.reason instanceof CodedError && third.reason.code).toBe(
      "CONSULTATION_NOT_FOUND",
    );
    expect(store.commitStats().commits - before).toBe(1);
    expect(committedRows(dir.file(), "consultations")).toBe(2);
    expect(store.getConsultation("same")?.reference).toBe("first");
    // One audit entry per committed consultation; the failed one left none, and the chain holds.
    expect(committedRows(dir.file(), "audit")).toBe(2);
    expect(store.verifyAudit().ok).toBe(true);
  });

  it("refuse a bad record without opening anything (rejected promise, nothing written)", async () => {
    await expect(
      store.grouped.recordConsultation(onlineRecord({ deliveryDate: "2011-02-30" as never })),
    ).rejects.toThrow(RangeError);
    await turn();
    expect(committedRows(dir.file(), "consultations")).toBe(0);
    expect(committedRows(dir.file(), "audit")).toBe(0);
  });

  it("are committed by a synchronous write arriving in the same turn, which is durable on return", async () => {
    const before = store.commitStats().commits;
    const grouped = store.grouped.recordConsultation(onlineRecord({ reference: "grouped" }));
    store.recordConsultation(onlineRecord({ reference: "sync", patientKey: OTHER_PATIENT }));
    expect(committedRows(dir.file(), "consultations")).toBe(2);
    await grouped;
    await turn();
    expect(store.commitStats().commits - before).toBe(1);
  });

  it("are committed when the store closes", async () => {
    const write = store.grouped.recordConsultation(onlineRecord());
    store.close();
    await expect(write).resolves.toBe("id-000001");
    expect(committedRows(dir.file(), "consultations")).toBe(1);
  });
});

describe("durability off the event loop", () => {
  // The real WAL and its real fdatasync, held back until the test lets it go.
  class HeldWal extends WalSync {
    held: (() => void)[] = [];
    override after(settle: Settle): void {
      this.held.push(() => super.after(settle));
    }
  }
  let db: Database.Database;
  let wal: HeldWal;
  let group: GroupCommit;
  beforeEach(() => {
    db = openDatabase(dir.file("held.sqlite"));
    db.exec("CREATE TABLE t (x)");
    wal = new HeldWal(`${dir.file("held.sqlite")}-wal`);
    group = new GroupCommit(db, (err) => new CodedError("STORE_UNAVAILABLE", {}, { cause: err }), wal);
  });
  afterEach(() => {
    group.close();
    db.close();
  });

  it("runs the daemon's connection at synchronous = NORMAL, the WAL synced by the store", () => {
    const daemon = openDatabase(dir.file());
    expect(daemon.pragma("synchronous", { simple: true })).toBe(1);
    daemon.close();
    const memory = openDatabase(":memory:"); // no WAL file: SQLite syncs at COMMIT
    expect(memory.pragma("synchronous", { simple: true })).toBe(2);
    memory.close();
  });

  it("answers a write only once the WAL has been synced after its COMMIT", async () => {
    let acknowledged = false;
    const write = group.later(() => db.prepare("INSERT INTO t VALUES (1)").run().changes);
    void write.then(() => (acknowledged = true));
    await turn();
    await turn();
    expect(committedRows(dir.file("held.sqlite"), "t")).toBe(1); // committed, in the WAL
    expect(acknowledged).toBe(false); // but not yet synced: nobody told
    expect(wal.held).toHaveLength(1);
    const syncsBefore = group.stats().syncs;
    wal.held[0]?.();
    await expect(write).resolves.toBe(1);
    expect(group.stats().syncs).toBe(syncsBefore + 1);
  });

  it("makes a synchronous write durable on return, with the writes waiting for a sync", async () => {
    const plain = new GroupCommit(db, (err) => err, new WalSync(`${dir.file("held.sqlite")}-wal`));
    const grouped = plain.later(() => db.prepare("INSERT INTO t VALUES (1)").run().changes);
    const syncsBefore = plain.stats().syncs;
    plain.now(() => db.prepare("INSERT INTO t VALUES (2)").run()); // commits the open group too
    expect(plain.stats()).toMatchObject({ commits: 1, syncs: syncsBefore + 1 });
    expect(committedRows(dir.file("held.sqlite"), "t")).toBe(2);
    await expect(grouped).resolves.toBe(1);
    plain.close();
  });

  it("keeps a group open while the WAL is being synced, and commits it when the disk is free", async () => {
    // The disk's timing is the one thing a test cannot hold: this WAL's syncs end when told.
    class SlowDisk extends WalSync {
      running: Settle[] = [];
      idle: (() => void)[] = [];
      override get busy(): boolean {
        return this.running.length > 0;
      }
      override after(settle: Settle): void {
        this.running.push(settle);
      }
      override whenIdle(fn: () => void): void {
        if (this.running.length === 0) fn();
        else this.idle.push(fn);
      }
      finish(): void {
        for (const settle of this.running.splice(0)) settle();
        for (const fn of this.idle.splice(0)) fn();
      }
    }
    const disk = new SlowDisk(`${dir.file("held.sqlite")}-wal`);
    const slow = new GroupCommit(db, (err) => err, disk);
    const insert = (x: number) => slow.later(() => db.prepare("INSERT INTO t VALUES (?)").run(x).changes);
    const first = insert(1);
    await turn();
    expect(slow.stats().commits).toBe(1); // committed, its sync running
    const during = [insert(2)];
    await turn();
    during.push(insert(3));
    await turn();
    expect(slow.stats().commits).toBe(1); // two turns' writes wait in one open group
    disk.finish(); // the first sync returns: its writer is answered, the group commits
    await expect(first).resolves.toBe(1);
    expect(slow.stats()).toMatchObject({ commits: 2, largestGroup: 2 });
    disk.finish();
    await expect(Promise.all(during)).resolves.toEqual([1, 1]);
    slow.close();
  });

  it("rejects a group whose sync fails, as STORE_UNAVAILABLE", async () => {
    class FailingWal extends WalSync {
      override after(settle: Settle): void {
        settle(Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO", syscall: "fdatasync" }));
      }
    }
    const failing = new GroupCommit(
      db,
      (err) => new CodedError("STORE_UNAVAILABLE", {}, { cause: err }),
      new FailingWal(`${dir.file("held.sqlite")}-wal`),
    );
    const writes = [1, 2].map((x) =>
      failing.later(() => db.prepare("INSERT INTO t VALUES (?)").run(x).changes),
    );
    for (const w of writes) await expect(w).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    expect(failing.stats().failedCommits).toBe(1);
    failing.close();
  });
});

describe("a failing commit", () => {
  // The store's own tables have no constraint checked at COMMIT, so the mechanism is tested on a
  // table of its own with a deferred foreign key: the COMMIT itself then fails.
  let db: Database.Database;
  let group: GroupCommit;
  beforeEach(() => {
    db = new Database(dir.file("deferred.db"));
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    db.exec(`CREATE TABLE parent (id TEXT PRIMARY KEY);
      CREATE TABLE child (id TEXT PRIMARY KEY,
        parent TEXT REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)`);
    group = new GroupCommit(db, (err) => new CodedError("STORE_UNAVAILABLE", {}, { cause: err }));
  });
  afterEach(() => {
    db.close();
  });
  const insert = (id: string, parent: string | null) =>
    group.later(() => db.prepare("INSERT INTO child (id, parent) VALUES (?, ?)").run(id, parent).changes);
  const rows = (): number => (db.prepare("SELECT count(*) AS n FROM child").get() as { n: number }).n;

  it("rejects exactly the writes it held, rolls their rows back, and the next group commits", async () => {
    const first = await Promise.allSettled([insert("a", null), insert("b", "nobody"), insert("c", null)]);
    expect(first.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(rows()).toBe(0);
    expect(db.inTransaction).toBe(false);
    expect(group.stats()).toMatchObject({ writes: 3, commits: 0, failedCommits: 1 });

    await turn();
    await expect(Promise.all([insert("d", null), insert("e", null)])).resolves.toEqual([1, 1]);
    expect(rows()).toBe(2);
    expect(group.stats()).toMatchObject({ writes: 5, commits: 1, failedCommits: 1, largestGroup: 2 });
  });

  it("throws from a synchronous write that commits it, after rejecting the group's callers", async () => {
    const grouped = insert("a", "nobody");
    expect(() => group.now(() => db.prepare("INSERT INTO child VALUES ('b', NULL)").run())).toThrow(
      CodedError,
    );
    await expect(grouped).rejects.toThrow(CodedError);
    expect(rows()).toBe(0);
  });
});
