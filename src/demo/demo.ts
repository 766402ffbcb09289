// Demo mode (MCN_ENV=demo, the default of `npm start`): the embedded MyCareNet simulator, its
// test PKI (with a SoftHSM token standing in for the eID) and API tokens, all generated under
// the data directory on first start, so that a newcomer gets a working consultation at once.
// It needs no system package: without SoftHSM2 the eID stand-in is not offered and sessions
// open with the personal certificate (issue 17; README "Start").
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Config, Settings } from "../config/index.js";
import { SIMULATOR_LICENCE, startSimulator, type Simulator } from "../simulator/index.js";
import { ensureDemoPki, type DemoPki, type DemoPkiResult } from "../simulator/pki/index.js";
import { ensureDemoTokens, type ApiTokens } from "./tokens.js";

export interface Demo {
  readonly config: Config;
  readonly simulator: Simulator;
  readonly tokens: ApiTokens;
  /** One line for the newcomer when the eID stand-in is not offered: why, and how to get it. */
  readonly eidHint?: string;
}

export interface DemoOptions {
  seed?: number;
  strict?: boolean;
  /** An existing test PKI (tests share one); otherwise generated under the data directory. */
  pki?: DemoPki;
  stsLifetimeSeconds?: number;
  now?: () => Date;
}

export async function prepareDemo(config: Settings, options: DemoOptions = {}): Promise<Demo> {
  const softhsm = config.demoSofthsmModule;
  const ensured: DemoPkiResult = options.pki
    ? { pki: options.pki }
    : await ensureDemoPki(join(config.dataDir, "pki"), softhsm);
  const { pki } = ensured;
  // A PKI made while SoftHSM2 was there keeps its token; offer it only while SoftHSM2 still is.
  const eid = pki.eid !== undefined && existsSync(softhsm) ? pki.eid : undefined;
  // SoftHSM reads its configuration once, when the module is first loaded.
  if (eid) process.env.SOFTHSM2_CONF = eid.conf;
  const simulator = await startSimulator({
    port: 0,
    dataDir: join(config.dataDir, "simulator"),
    pki,
    seed: options.seed ?? 1,
    strict: options.strict ?? false,
    stsLifetimeSeconds: options.stsLifetimeSeconds ?? 12 * 3600,
    ...(options.now ? { now: options.now } : {}),
  });
  const tokens = ensureDemoTokens(config.dataDir, pki.holder.nihii);
  const demoConfig: Config = Object.freeze({
    ...config,
    stsUrl: config.stsUrl ?? simulator.stsUrl,
    insurabilityUrl: config.insurabilityUrl ?? simulator.insurabilityUrl,
    stsCertFile: config.stsCertFile ?? pki.sts.certPath,
    pharmacy: config.pharmacy ?? pki.pharmacy,
    holder: config.holder ?? pki.holder,
    orgKeystore: config.orgKeystore ?? {
      file: pki.organisation.p12Path,
      password: pki.organisation.password,
    },
    personalKeystore: config.personalKeystore ?? {
      file: pki.personal.p12Path,
      password: pki.personal.password,
    },
    pkcs11: config.pkcs11 ?? (eid ? { module: softhsm, tokenLabel: eid.tokenLabel } : undefined),
    package: config.package ?? {
      name: "mcn-rights-demo",
      licenseUser: SIMULATOR_LICENCE.username,
      licensePassword: SIMULATOR_LICENCE.password,
    },
    tokensFile: config.tokensFile ?? tokens.file,
  });
  const eidHint = eid || config.pkcs11 ? undefined : eidMissingHint(softhsm, ensured.eidFailure);
  return { config: demoConfig, simulator, tokens, ...(eidHint ? { eidHint } : {}) };
}

function eidMissingHint(softhsm: string, failure: string | undefined): string {
  const why = failure ?? `SoftHSM2 is not installed (no ${softhsm})`;
  return (
    `eID stand-in not offered: ${why}; sessions open with the personal certificate. ` +
    "For the eID stand-in: apt-get install softhsm2 (or npm test, which installs it), then restart."
  );
}

export { SCENARIO_NISS } from "../simulator/index.js";
