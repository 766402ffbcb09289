// The WAL's own sync on a real file: callers settle only after an fdatasync begun after them, the
// commits that arrive while one runs share the next, a synchronous sync settles everyone, and a
// WAL made again under the descriptor is reopened.
import { execFileSync } from "node:child_process";
import { appendFileSync, closeSync, openSync, rmSync, writeFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WalSync } from "./wal-sync.js";
import { TempDir } from "./__fixtures__/store-fixture.js";

let dir: TempDir;
let file: string;
let wal: WalSync;
beforeEach(() => {
  dir = new TempDir();
  file = dir.file("x.sqlite-wal");
  writeFileSync(file, "frames");
  wal = new WalSync(file);
});
afterEach(() => {
  wal.close();
  dir.remove();
});

const settled = (): {
  promise: Promise<NodeJS.ErrnoException | undefined>;
  settle: (e?: NodeJS.ErrnoException) => void;
} => {
  let settle!: (e?: NodeJS.ErrnoException) => void;
  const promise = new Promise<NodeJS.ErrnoException | undefined>((resolve) => (settle = resolve));
  return { promise, settle };
};

describe("WalSync", () => {
  it("settles a caller after its own fdatasync, never within the call that queued it", async () => {
    const a = settled();
    let done = false;
    wal.after((e) => {
      done = true;
      a.settle(e);
    });
    expect(done).toBe(false);
    expect(wal.syncs).toBe(1);
    await expect(a.promise).resolves.toBeUndefined();
  });

  it("serves the commits that arrive during a sync with one more sync, not one each", async () => {
    const first = settled();
    wal.after(first.settle);
    const later = Array.from({ length: 5 }, () => settled());
    for (const l of later) {
      appendFileSync(file, "more frames");
      wal.after(l.settle);
    }
    expect(wal.syncs).toBe(1); // the later ones wait: their frames came after the first sync began
    await first.promise;
    await Promise.all(later.map((l) => l.promise));
    expect(wal.syncs).toBe(2);
  });

  it("now() syncs on the spot and settles everyone waiting, and their async sync is then ignored", async () => {
    const a = settled();
    const b = settled();
    wal.after(a.settle);
    wal.after(b.settle);
    let calls = 0;
    const counted = settled();
    wal.after((e) => {
      calls += 1;
      counted.settle(e);
    });
    wal.now();
    expect(wal.syncs).toBe(2);
    await Promise.all([a.promise, b.promise, counted.promise]);
    await new Promise((r) => setTimeout(r, 20)); // the thread pool's fdatasync has come back
    expect(calls).toBe(1);
  });

  it("reopens a WAL deleted and made again under its descriptor", async () => {
    rmSync(file);
    writeFileSync(file, "a new WAL");
    const a = settled();
    wal.after(a.settle);
    await expect(a.promise).resolves.toBeUndefined();
    rmSync(file);
    const b = settled();
    wal.after(b.settle); // gone for good: the caller hears it, nothing is said durable
    await expect(b.promise).resolves.toMatchObject({ code: "ENOENT" });
    writeFileSync(file, "back");
  });

  it("syncs while every thread of libuv's pool is held (lookups of an unreachable MyCareNet)", async () => {
    const fifo = join(dir.path, "fifo");
    execFileSync("mkfifo", [fifo]);
    // Opening a FIFO for reading blocks its pool thread until a writer comes.
    const threads = Number(process.env["UV_THREADPOOL_SIZE"] ?? 4);
    const held = Array.from({ length: threads }, () => open(fifo, "r"));
    try {
      const a = settled();
      wal.after(a.settle);
      await expect(a.promise).resolves.toBeUndefined();
    } finally {
      closeSync(openSync(fifo, "w"));
      for (const handle of await Promise.all(held)) await handle.close();
    }
  });

  it("refuses callers once closed, after settling the ones waiting", async () => {
    const a = settled();
    wal.after(a.settle);
    wal.close();
    await expect(a.promise).resolves.toBeUndefined();
    expect(() => wal.after(() => undefined)).toThrow(/closed/);
  });
});
