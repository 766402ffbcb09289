import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { withDirectoryLock } from "./directory-lock.js";

const root = mkdtempSync(join(tmpdir(), "mcn-lock-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("withDirectoryLock", () => {
  it("lets one holder in at a time", async () => {
    let inside = 0;
    let most = 0;
    const work = async () => {
      inside += 1;
      most = Math.max(most, inside);
      await sleep(20);
      inside -= 1;
    };
    await Promise.all(Array.from({ length: 4 }, () => withDirectoryLock(root, work)));
    expect(most).toBe(1);
  });

  it("releases the lock when the work fails", async () => {
    await expect(
      withDirectoryLock(root, () => Promise.reject(new Error("generation failed"))),
    ).rejects.toThrow("generation failed");
    await expect(withDirectoryLock(root, () => Promise.resolve("next"))).resolves.toBe("next");
  });

  it("gives up after its timeout while a live holder keeps the lock", async () => {
    let release: () => void = () => undefined;
    const holder = withDirectoryLock(root, () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(20);
    await expect(withDirectoryLock(root, () => Promise.resolve(), { timeoutMs: 100 })).rejects.toThrow(
      /timed out/,
    );
    release();
    await holder;
  });
});
