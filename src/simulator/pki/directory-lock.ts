// A cross-process lock on a directory: `mkdir` is atomic, so whoever creates `<dir>/.lock` holds
// it. Several vitest workers, and several test runs in the same tree, may ask at once. A lock
// left by a crashed process is taken over once it is older than `staleMs`; the holder refreshes
// it while it works so that a long generation is never mistaken for a dead one.
import { mkdir, rm, stat, utimes } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export interface LockOptions {
  readonly staleMs?: number;
  readonly timeoutMs?: number;
}

export async function withDirectoryLock<T>(
  dir: string,
  work: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const staleMs = options.staleMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const lock = join(dir, ".lock");
  await mkdir(dir, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age = await lockAge(lock);
      // Two waiters may both judge the same dead lock stale; the window is a few milliseconds
      // after a crash, acceptable for test fixtures.
      if (age !== undefined && age > staleMs) {
        await rm(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the lock ${lock}`);
      await sleep(50 + Math.floor(Math.random() * 150));
    }
  }
  const refresh = setInterval(
    () => {
      const now = new Date();
      utimes(lock, now, now).catch(() => undefined);
    },
    Math.max(1_000, Math.floor(staleMs / 4)),
  );
  refresh.unref();
  try {
    return await work();
  } finally {
    clearInterval(refresh);
    await rm(lock, { recursive: true, force: true });
  }
}

async function lockAge(lock: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(lock)).mtimeMs;
  } catch {
    return undefined; // released meanwhile
  }
}
