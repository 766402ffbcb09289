// Demo mode (MCN_ENV=demo, the default of `npm start`): the embedded MyCareNet simulator, its
// test PKI (with a SoftHSM token standing in for the eID) and API tokens, all generated under
// the data directory on first start, so that a newcomer gets a working consultation at once.
import { join } from "node:path";
import type { Config } from "../config/index.js";
import { SIMULATOR_LICENCE, startSimulator, type Simulator } from "../simulator/index.js";
import { ensureTestPki, type TestPki } from "../simulator/pki/index.js";
import { ensureDemoTokens, type DemoTokens } from "./tokens.js";

export interface Demo {
  readonly config: Config;
  readonly simulator: Simulator;
  readonly tokens: DemoTokens;
}

export interface DemoOptions {
  seed?: number;
  strict?: boolean;
  /** An existing test PKI (tests share one); otherwise generated under the data directory. */
  pki?: TestPki;
  stsLifetimeSeconds?: number;
  now?: () => Date;
}

export async function prepareDemo(config: Config, options: DemoOptions = {}): Promise<Demo> {
  const pki = options.pki ?? (await ensureTestPki(join(config.dataDir, "pki")));
  // SoftHSM reads its configuration once, when the module is first loaded.
  process.env.SOFTHSM2_CONF = pki.eid.conf;
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
    pkcs11: config.pkcs11 ?? { module: pki.eid.module, tokenLabel: pki.eid.tokenLabel },
    package: config.package ?? {
      name: "mcn-rights-demo",
      licenseUser: SIMULATOR_LICENCE.username,
      licensePassword: SIMULATOR_LICENCE.password,
    },
    tokensFile: config.tokensFile ?? tokens.file,
  });
  return { config: demoConfig, simulator, tokens };
}
