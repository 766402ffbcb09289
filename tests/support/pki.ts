// The test PKI the global setup made once (tests/support/global-setup.ts), shared by every test
// file and the simulator: read synchronously, at import time if need be.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readTestPki, type TestPki } from "../../src/simulator/pki/index.js";

export const TEST_PKI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../.data/test-pki");

let cached: TestPki | undefined;

/**
 * The shared test PKI. Also points SOFTHSM2_CONF at its token directory, so that a test which
 * then loads SoftHSM reaches the test eID, never the system's tokens (SoftHSM reads the variable
 * once, when the module is initialised).
 */
export function testPki(): TestPki {
  cached ??= readTestPki(TEST_PKI_DIR);
  process.env["SOFTHSM2_CONF"] = cached.eid.conf;
  return cached;
}
