// The environment of a daemon in acceptance mode pointed at a simulator process over the test
// PKI: what the long tests and the bench start the built daemon with (MCN_* of README).
import { SIMULATOR_LICENCE } from "../simulator/index.js";
import type { TestPki } from "../simulator/pki/index.js";

export interface AcceptanceEnvOptions {
  readonly pki: Pick<TestPki, "sts" | "pharmacy" | "holder" | "organisation" | "personal">;
  /** The simulator's STS and insurability URLs. */
  readonly simulator: { readonly sts: string; readonly insurability: string };
  readonly dataDir: string;
  readonly tokensFile: string;
  readonly extra?: Readonly<Record<string, string>>;
}

export function acceptanceEnv(options: AcceptanceEnvOptions): Record<string, string> {
  const { pki, simulator } = options;
  return {
    MCN_ENV: "acceptance",
    MCN_LISTEN: "127.0.0.1:0",
    MCN_DATA_DIR: options.dataDir,
    // The production default: one line per request.
    MCN_LOG_LEVEL: "info",
    MCN_STS_URL: simulator.sts,
    MCN_INSURABILITY_URL: simulator.insurability,
    MCN_STS_CERT: pki.sts.certPath,
    MCN_PHARMACY_NIHII: pki.pharmacy.nihii,
    MCN_PHARMACY_NAME: pki.pharmacy.name,
    MCN_HOLDER_NIHII: pki.holder.nihii,
    MCN_HOLDER_SSIN: pki.holder.ssin,
    MCN_HOLDER_NAME: pki.holder.name,
    MCN_ORG_KEYSTORE: pki.organisation.p12Path,
    MCN_ORG_KEYSTORE_PASSWORD: pki.organisation.password,
    MCN_PERSONAL_KEYSTORE: pki.personal.p12Path,
    MCN_PERSONAL_KEYSTORE_PASSWORD: pki.personal.password,
    MCN_PACKAGE_NAME: "mcn-rights",
    MCN_PACKAGE_LICENSE_USER: SIMULATOR_LICENCE.username,
    MCN_PACKAGE_LICENSE_PASSWORD: SIMULATOR_LICENCE.password,
    MCN_TOKENS_FILE: options.tokensFile,
    ...options.extra,
  };
}
