// Idempotent, concurrency-safe access to the test PKI: the descriptor `pki.json` is written last
// (atomic rename), so its presence with the same options means everything else is there.
import { existsSync, readFileSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { withDirectoryLock } from "./directory-lock.js";
import { generateTestPki } from "./generate.js";
import { mergeOptions, optionsKey, type TestPki, type TestPkiOptions } from "./test-pki.js";

export const DESCRIPTOR = "pki.json";

export async function ensureTestPki(dir: string, options?: Partial<TestPkiOptions>): Promise<TestPki> {
  const root = resolve(dir);
  const wanted = mergeOptions(options);
  const current = await loadIfCurrent(root, wanted);
  if (current !== undefined) return current;
  return withDirectoryLock(root, async () => {
    // Someone else may have generated it while we waited for the lock.
    const generatedMeanwhile = await loadIfCurrent(root, wanted);
    if (generatedMeanwhile !== undefined) return generatedMeanwhile;
    await rm(join(root, DESCRIPTOR), { force: true });
    const pki = await generateTestPki(root, wanted);
    const temporary = join(root, `${DESCRIPTOR}.${process.pid}.tmp`);
    await writeFile(temporary, `${JSON.stringify(pki, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, join(root, DESCRIPTOR));
    return pki;
  });
}

/** Synchronous read of an existing descriptor (test files, after the global setup made it). */
export function readTestPki(dir: string): TestPki {
  const path = join(resolve(dir), DESCRIPTOR);
  if (!existsSync(path))
    throw new Error(`no test PKI at ${path}: run ensureTestPki (vitest global setup) first`);
  return JSON.parse(readFileSync(path, "utf8")) as TestPki;
}

async function loadIfCurrent(root: string, wanted: TestPkiOptions): Promise<TestPki | undefined> {
  let pki: TestPki;
  try {
    pki = JSON.parse(await readFile(join(root, DESCRIPTOR), "utf8")) as TestPki;
  } catch {
    return undefined;
  }
  if (pki.version !== 1 || pki.dir !== root || optionsKey(pki.options) !== optionsKey(wanted))
    return undefined;
  const files = [
    pki.ca.certPath,
    pki.ca.keyPath,
    pki.sts.certPath,
    pki.sts.keyPath,
    pki.organisation.p12Path,
    pki.personal.p12Path,
    pki.revokedPersonal.p12Path,
    pki.foreignPersonal.p12Path,
    pki.eid.conf,
    join(root, "tokens"),
  ];
  return files.every((file) => existsSync(file)) ? pki : undefined;
}
