// Idempotent, concurrency-safe access to the test PKI: the descriptor `pki.json` is written last
// (atomic rename), so its presence with the same options means everything else is there.
// The SoftHSM eIDs (EC and RSA, both or neither) are required by the tests (ensureTestPki) and
// optional for the demo and the stand-alone simulator (ensureDemoPki): a PKI made without them
// gets them on a later call once SoftHSM2 is installed, under the same CA.
import { existsSync, readFileSync } from "node:fs";
import { readFile, realpath, rename, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { withDirectoryLock } from "./directory-lock.js";
import { generateEid, generateTestPki } from "./generate.js";
import {
  mergeOptions,
  optionsKey,
  SOFTHSM_MODULE,
  type DemoPki,
  type TestPki,
  type TestPkiOptions,
} from "./test-pki.js";

export const DESCRIPTOR = "pki.json";

export async function ensureTestPki(dir: string, options?: Partial<TestPkiOptions>): Promise<TestPki> {
  const { pki } = await ensurePki(dir, mergeOptions(options), SOFTHSM_MODULE, true);
  const { eid, eidRsa } = pki;
  // Unreachable: required eIDs that cannot be made throw on the way.
  if (eid === undefined || eidRsa === undefined) throw new Error(`the test PKI in ${dir} has no eID`);
  return { ...pki, eid, eidRsa };
}

export interface DemoPkiResult {
  readonly pki: DemoPki;
  /** Why SoftHSM2, although installed, made no eID (one line); absent when it did or is absent. */
  readonly eidFailure?: string;
}

/** The PKI with the eIDs when `softhsmModule` exists (and works), without them otherwise. */
export async function ensureDemoPki(
  dir: string,
  softhsmModule: string,
  options?: Partial<TestPkiOptions>,
): Promise<DemoPkiResult> {
  return ensurePki(dir, mergeOptions(options), softhsmModule, false);
}

async function ensurePki(
  dir: string,
  wanted: TestPkiOptions,
  module: string,
  eidRequired: boolean,
): Promise<DemoPkiResult> {
  // Through any symlink: a simulator process given a link to the shared test PKI must reuse it,
  // not regenerate it (through the link) because the path it was given differs from pki.dir.
  const root = await canonical(resolve(dir));
  const wantsEid = eidRequired || existsSync(module);
  const complete = (pki: DemoPki | undefined): pki is DemoPki =>
    pki !== undefined && ((pki.eid !== undefined && pki.eidRsa !== undefined) || !wantsEid);
  const current = await loadIfCurrent(root, wanted);
  if (complete(current)) return { pki: current };
  return withDirectoryLock(root, async () => {
    // Someone else may have generated it while we waited for the lock.
    const meanwhile = await loadIfCurrent(root, wanted);
    if (complete(meanwhile)) return { pki: meanwhile };
    let pki: DemoPki | undefined = meanwhile;
    if (pki === undefined) {
      await rm(join(root, DESCRIPTOR), { force: true });
      pki = await generateTestPki(root, wanted);
    }
    let eidFailure: string | undefined;
    if (wantsEid) {
      try {
        pki = { ...pki, ...(await generateEid(root, wanted, pki.ca, module)) };
      } catch (error) {
        if (eidRequired) throw error;
        eidFailure = error instanceof Error ? error.message : String(error);
      }
    }
    const temporary = join(root, `${DESCRIPTOR}.${process.pid}.tmp`);
    await writeFile(temporary, `${JSON.stringify(pki, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, join(root, DESCRIPTOR));
    return eidFailure === undefined ? { pki } : { pki, eidFailure };
  });
}

/** Synchronous read of an existing descriptor (test files, after the global setup made it). */
export function readTestPki(dir: string): TestPki {
  const path = join(resolve(dir), DESCRIPTOR);
  if (!existsSync(path))
    throw new Error(`no test PKI at ${path}: run ensureTestPki (vitest global setup) first`);
  return JSON.parse(readFileSync(path, "utf8")) as TestPki;
}

async function loadIfCurrent(root: string, wanted: TestPkiOptions): Promise<DemoPki | undefined> {
  let pki: DemoPki;
  try {
    pki = JSON.parse(await readFile(join(root, DESCRIPTOR), "utf8")) as DemoPki;
  } catch {
    return undefined;
  }
  if (pki.version !== 2 || pki.dir !== root || optionsKey(pki.options) !== optionsKey(wanted))
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
    ...(pki.eid && pki.eidRsa ? [pki.eid.conf, pki.eidRsa.conf, join(root, "tokens")] : []),
  ];
  return files.every((file) => existsSync(file)) ? pki : undefined;
}

async function canonical(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path; // not created yet
  }
}
