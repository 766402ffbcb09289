// Runs once before the suite: shared fixtures are prepared here so that test files do not each
// mint their own keys. Time zone is deliberately left alone: code must compute Europe/Brussels
// calendar days whatever the machine's zone is.
import { ensureTestPki } from "../../src/simulator/pki/index.js";
import { TEST_PKI_DIR } from "./pki.js";
import { collectSuiteLogs, reportSuiteLogLeaks } from "./suite-logs.js";

export default async function setup(): Promise<() => void> {
  // One test PKI (CA, STS, eHealth keystores, SoftHSM eID) under .data/, generated on the first
  // run and reused after; a lock makes concurrent runs in the same tree wait for each other.
  const pki = await ensureTestPki(TEST_PKI_DIR);
  // Workers inherit it; tests/support/pki.ts sets it again for runs without this setup.
  process.env["SOFTHSM2_CONF"] = pki.eid.conf;
  // Every logger of the run (workers and the daemons they spawn) copies its lines there; the
  // teardown searches them all for personal data and key material (STYLE §8).
  const logs = collectSuiteLogs();
  return () => reportSuiteLogLeaks(logs);
}
