// The only reader of process.env. Every MCN_* setting is checked at start; each bad or missing
// one is reported on its own line naming it, and the daemon stops before listening.
import { isAbsolute, resolve } from "node:path";
import { parseNihii, parseNiss } from "../identifiers/index.js";
import type { Lang } from "../errors.js";
import {
  DEFAULT_INSURABILITY_REJECTION_CODES,
  DEFAULT_PROPORTIONALITY_LIMITS,
  DEFAULT_RETENTION_MONTHS,
  REJECTION_CODE,
  type ProportionalityLimits,
} from "../purpose/index.js";

export type Environment = "demo" | "acceptance" | "production";

/** What the environment says. In demo mode the credentials come later, from the demo's own PKI. */
export interface Settings {
  readonly env: Environment;
  readonly listen: { readonly host: string; readonly port: number };
  readonly dataDir: string;
  readonly lang: Lang;
  readonly logLevel: string;
  /** How long to wait for MyCareNet before falling back, in milliseconds. */
  readonly timeoutMs: number;
  /** How long an identical question (same patient, same day) is answered from memory, ms. */
  readonly cacheTtlMs: number;
  /** Outages in a row after which consultations stop waiting for MyCareNet (circuit open). */
  readonly circuitThreshold: number;
  /** While the circuit is open, how often MyCareNet is probed, in milliseconds. */
  readonly probeMs: number;
  /** Thresholds of the bulk-consultation guard (SPEC §1.6). */
  readonly proportionality: ProportionalityLimits;
  /** The pricing office: insurability rejection codes that open its access, uses per rejection. */
  readonly pricingOffice: { readonly reasons: readonly string[]; readonly maxUses: number };
  /** Months kept before the current one (SPEC §1.3 retention; README). */
  readonly retentionMonths: number;
  readonly stsUrl: string | undefined;
  /** MCN_STS_PROTOCOL: forces the STS door; otherwise the path of the STS URL picks it (SPEC §2). */
  readonly stsProtocol: "ws-trust" | "saml-p" | undefined;
  readonly insurabilityUrl: string | undefined;
  readonly stsCertFile: string | undefined;
  readonly tlsCaFile: string | undefined;
  readonly pharmacy: { readonly nihii: string; readonly name: string } | undefined;
  readonly holder: { readonly nihii: string; readonly ssin: string; readonly name: string } | undefined;
  readonly orgKeystore: { readonly file: string; readonly password: string } | undefined;
  readonly pkcs11: { readonly module: string; readonly tokenLabel: string } | undefined;
  readonly personalKeystore: { readonly file: string; readonly password: string } | undefined;
  readonly package:
    { readonly name: string; readonly licenseUser: string; readonly licensePassword: string } | undefined;
  readonly tokensFile: string | undefined;
  /** Demo only: SoftHSM2's PKCS#11 library; the demo offers its eID stand-in when it is there. */
  readonly demoSofthsmModule: string;
}

/** A configuration ready to run: every credential is there (resolveConfig, or the demo's). */
export interface Config extends Settings {
  readonly stsUrl: string;
  readonly insurabilityUrl: string;
  readonly stsCertFile: string;
  readonly pharmacy: { readonly nihii: string; readonly name: string };
  readonly holder: { readonly nihii: string; readonly ssin: string; readonly name: string };
  readonly orgKeystore: { readonly file: string; readonly password: string };
  readonly package: { readonly name: string; readonly licenseUser: string; readonly licensePassword: string };
  readonly tokensFile: string;
}

/** Settings whose credentials are all present become a Config; each missing one is named. */
export function resolveConfig(s: Settings): { ok: true; config: Config } | { ok: false; problems: string[] } {
  const missing = (
    [
      ["MCN_STS_URL", s.stsUrl],
      ["MCN_INSURABILITY_URL", s.insurabilityUrl],
      ["MCN_STS_CERT", s.stsCertFile],
      ["MCN_PHARMACY_NIHII, MCN_PHARMACY_NAME", s.pharmacy],
      ["MCN_HOLDER_NIHII, MCN_HOLDER_SSIN, MCN_HOLDER_NAME", s.holder],
      ["MCN_ORG_KEYSTORE, MCN_ORG_KEYSTORE_PASSWORD", s.orgKeystore],
      ["MCN_PACKAGE_NAME, MCN_PACKAGE_LICENSE_USER, MCN_PACKAGE_LICENSE_PASSWORD", s.package],
      ["MCN_TOKENS_FILE", s.tokensFile],
    ] as const
  ).filter(([, v]) => v === undefined);
  if (missing.length > 0)
    return { ok: false, problems: missing.map(([name]) => `${name}: required when MCN_ENV is ${s.env}`) };
  return { ok: true, config: s as Config };
}

/**
 * Official endpoints (notes §1.1); MCN_STS_URL / MCN_INSURABILITY_URL override them. The STS's
 * WS-Trust door is the default, its legacy SAML-P door the one MCN_STS_PROTOCOL=saml-p goes to.
 */
export const ENDPOINTS = {
  acceptance: {
    sts: "https://services-acpt.ehealth.fgov.be/IAM/SecurityTokenService/v1",
    stsLegacy: "https://services-acpt.ehealth.fgov.be/IAM/Saml11TokenService/Legacy/v1",
    insurability: "https://services-acpt.ehealth.fgov.be/Insurability/v2",
  },
  production: {
    sts: "https://services.ehealth.fgov.be/IAM/SecurityTokenService/v1",
    stsLegacy: "https://services.ehealth.fgov.be/IAM/Saml11TokenService/Legacy/v1",
    insurability: "https://services.ehealth.fgov.be/Insurability/v2",
  },
} as const;

/** Every default in one place; each MCN_* variable overrides the entry named beside it. */
export const DEFAULTS = deepFreeze({
  /** MCN_ENV: `npm start` with nothing set is the demo. */
  env: "demo" as Environment,
  /** MCN_LISTEN, host:port: loopback only unless the pharmacy decides otherwise (README). */
  listen: "127.0.0.1:8750",
  /** MCN_DATA_DIR, relative to the working directory. */
  dataDir: "data",
  /** MCN_LANG: the language of problem messages and warnings. */
  lang: "fr" as Lang,
  /** MCN_LOG_LEVEL (pino levels). */
  logLevel: "info",
  /** MCN_TIMEOUT_MS, milliseconds: how long the counter waits for MyCareNet. */
  timeoutMs: 3000,
  /** MCN_CACHE_TTL_MS, milliseconds: an identical question (same patient, same day) is answered from memory. */
  cacheTtlMs: 5 * 60_000,
  /** MCN_CIRCUIT_THRESHOLD, outages in a row: one slow answer is bad luck, three mean the counter must not wait. */
  circuitThreshold: 3,
  /** MCN_PROBE_MS, milliseconds: every 5 s while open; MyCareNet's disaster recovery is within 30 minutes (brochure §9.1.1). */
  probeMs: 5_000,
  /** MCN_GUARD_*: thresholds of the bulk-consultation guard (SPEC §1.6). */
  proportionality: DEFAULT_PROPORTIONALITY_LIMITS,
  /** MCN_PRICING_OFFICE_REASONS: eFact rejection codes that open the pricing office's access. */
  pricingOfficeReasons: DEFAULT_INSURABILITY_REJECTION_CODES,
  /** MCN_PRICING_OFFICE_MAX_USES, consultations per rejection. */
  pricingOfficeMaxUses: 2,
  /** MCN_RETENTION_MONTHS, months kept before the current one (SPEC §1.3). */
  retentionMonths: DEFAULT_RETENTION_MONTHS,
  /** MCN_DEMO_SOFTHSM_MODULE: where Debian's softhsm2 puts its library (the simulator's SOFTHSM_MODULE). */
  demoSofthsmModule: "/usr/lib/softhsm/libsofthsm2.so",
});

/** Freezes an object and everything it holds, so no part of a loaded configuration can change. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(
  env: Env,
  cwd: string = process.cwd(),
): { ok: true; config: Settings } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v.trim() === "" ? undefined : v.trim();
  };

  const envName = get("MCN_ENV") ?? DEFAULTS.env;
  if (!["demo", "acceptance", "production"].includes(envName)) {
    problems.push(`MCN_ENV: must be demo, acceptance or production (got "${envName}")`);
  }
  const environment = envName as Environment;
  const real = environment !== "demo";

  const listenText = get("MCN_LISTEN") ?? DEFAULTS.listen;
  const listen = parseListen(listenText);
  if (!listen)
    problems.push(`MCN_LISTEN: expected host:port with a port from 0 to 65535 (got "${listenText}")`);

  const lang = (get("MCN_LANG") ?? DEFAULTS.lang) as Lang;
  if (!["fr", "nl", "en"].includes(lang)) problems.push(`MCN_LANG: must be fr, nl or en (got "${lang}")`);

  const timeoutMs = integer("MCN_TIMEOUT_MS", DEFAULTS.timeoutMs, 100, 60_000);
  const cacheTtlMs = integer("MCN_CACHE_TTL_MS", DEFAULTS.cacheTtlMs, 0, 60 * 60_000);
  const circuitThreshold = integer("MCN_CIRCUIT_THRESHOLD", DEFAULTS.circuitThreshold, 1, 1000);
  const probeMs = integer("MCN_PROBE_MS", DEFAULTS.probeMs, 50, 10 * 60_000);
  const proportionality: ProportionalityLimits = Object.freeze({
    patientPerDay: integer("MCN_GUARD_PATIENT_PER_DAY", DEFAULTS.proportionality.patientPerDay, 1, 1000),
    unconfirmedPatients: integer(
      "MCN_GUARD_UNCONFIRMED_PATIENTS",
      DEFAULTS.proportionality.unconfirmedPatients,
      1,
      100_000,
    ),
    windowMinutes: integer("MCN_GUARD_WINDOW_MINUTES", DEFAULTS.proportionality.windowMinutes, 1, 24 * 60),
  });
  const pricingOfficeReasons = codeList("MCN_PRICING_OFFICE_REASONS", DEFAULTS.pricingOfficeReasons);
  const pricingOfficeMaxUses = integer("MCN_PRICING_OFFICE_MAX_USES", DEFAULTS.pricingOfficeMaxUses, 1, 100);
  const retentionMonths = integer("MCN_RETENTION_MONTHS", DEFAULTS.retentionMonths, 1, 120);
  const logLevel = get("MCN_LOG_LEVEL") ?? DEFAULTS.logLevel;
  if (!["fatal", "error", "warn", "info", "debug", "trace", "silent"].includes(logLevel)) {
    problems.push(
      `MCN_LOG_LEVEL: must be fatal, error, warn, info, debug, trace or silent (got "${logLevel}")`,
    );
  }

  const url = (name: string, fallback: string | undefined): string | undefined => {
    const v = get(name) ?? fallback;
    if (v === undefined) return undefined;
    try {
      const u = new URL(v);
      if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
      if (environment === "production" && u.protocol !== "https:")
        problems.push(`${name}: production needs https`);
    } catch {
      problems.push(`${name}: not an http(s) URL ("${v}")`);
    }
    return v;
  };
  const endpoints = real ? ENDPOINTS[environment] : undefined;
  const stsProtocol = get("MCN_STS_PROTOCOL");
  if (stsProtocol !== undefined && stsProtocol !== "ws-trust" && stsProtocol !== "saml-p")
    problems.push(`MCN_STS_PROTOCOL: must be ws-trust or saml-p (got "${stsProtocol}")`);
  // The forced door's official URL: a legacy request posted to the WS-Trust door is refused.
  const stsUrl = url("MCN_STS_URL", stsProtocol === "saml-p" ? endpoints?.stsLegacy : endpoints?.sts);
  const insurabilityUrl = url("MCN_INSURABILITY_URL", endpoints?.insurability);

  const file = (name: string): string | undefined => {
    const v = get(name);
    return v === undefined ? undefined : isAbsolute(v) ? v : resolve(cwd, v);
  };
  const required = <T>(name: string, value: T | undefined): T | undefined => {
    if (real && value === undefined) problems.push(`${name}: required when MCN_ENV is ${environment}`);
    return value;
  };

  const stsCertFile = required("MCN_STS_CERT", file("MCN_STS_CERT"));
  const tlsCaFile = file("MCN_TLS_CA");

  const pharmacyNihii = required("MCN_PHARMACY_NIHII", get("MCN_PHARMACY_NIHII"));
  if (pharmacyNihii !== undefined) {
    const n = parseNihii(pharmacyNihii);
    if (!n.ok || n.value.kind !== "organisation")
      problems.push("MCN_PHARMACY_NIHII: not a valid 8-digit pharmacy NIHII");
  }
  const pharmacyName = required("MCN_PHARMACY_NAME", get("MCN_PHARMACY_NAME"));
  const holderNihii = required("MCN_HOLDER_NIHII", get("MCN_HOLDER_NIHII"));
  if (holderNihii !== undefined) {
    const n = parseNihii(holderNihii);
    if (!n.ok || !n.value.titularPharmacist) {
      problems.push("MCN_HOLDER_NIHII: not a valid 11-digit NIHII of a titular pharmacist (ending in 001)");
    }
  }
  const holderSsin = required("MCN_HOLDER_SSIN", get("MCN_HOLDER_SSIN"));
  if (holderSsin !== undefined && !parseNiss(holderSsin).ok)
    problems.push("MCN_HOLDER_SSIN: not a valid NISS");
  const holderName = required("MCN_HOLDER_NAME", get("MCN_HOLDER_NAME"));

  const orgFile = required("MCN_ORG_KEYSTORE", file("MCN_ORG_KEYSTORE"));
  const orgPassword = required("MCN_ORG_KEYSTORE_PASSWORD", get("MCN_ORG_KEYSTORE_PASSWORD"));
  const pkcs11Module = file("MCN_PKCS11_MODULE");
  const pkcs11Label = get("MCN_PKCS11_TOKEN_LABEL");
  if ((pkcs11Module === undefined) !== (pkcs11Label === undefined)) {
    problems.push(
      `${pkcs11Module ? "MCN_PKCS11_TOKEN_LABEL" : "MCN_PKCS11_MODULE"}: the eID needs both MCN_PKCS11_MODULE and MCN_PKCS11_TOKEN_LABEL`,
    );
  }
  const personalFile = file("MCN_PERSONAL_KEYSTORE");
  const personalPassword = get("MCN_PERSONAL_KEYSTORE_PASSWORD");
  if (personalFile !== undefined && personalPassword === undefined) {
    problems.push("MCN_PERSONAL_KEYSTORE_PASSWORD: required with MCN_PERSONAL_KEYSTORE");
  }
  if (real && pkcs11Module === undefined && personalFile === undefined) {
    problems.push(
      "MCN_PKCS11_MODULE: set it (eID) or MCN_PERSONAL_KEYSTORE (personal certificate) to open sessions",
    );
  }
  const packageName = required("MCN_PACKAGE_NAME", get("MCN_PACKAGE_NAME"));
  const licenseUser = required("MCN_PACKAGE_LICENSE_USER", get("MCN_PACKAGE_LICENSE_USER"));
  const licensePassword = required("MCN_PACKAGE_LICENSE_PASSWORD", get("MCN_PACKAGE_LICENSE_PASSWORD"));
  const tokensFile = required("MCN_TOKENS_FILE", file("MCN_TOKENS_FILE"));

  if (problems.length > 0 || !listen) return { ok: false, problems };
  const config: Settings = {
    env: environment,
    listen,
    dataDir: file("MCN_DATA_DIR") ?? resolve(cwd, DEFAULTS.dataDir),
    lang,
    logLevel,
    timeoutMs,
    cacheTtlMs,
    circuitThreshold,
    probeMs,
    proportionality,
    pricingOffice: Object.freeze({ reasons: pricingOfficeReasons, maxUses: pricingOfficeMaxUses }),
    retentionMonths,
    stsUrl,
    stsProtocol: stsProtocol as Config["stsProtocol"],
    insurabilityUrl,
    stsCertFile,
    tlsCaFile,
    pharmacy: pharmacyNihii && pharmacyName ? { nihii: pharmacyNihii, name: pharmacyName } : undefined,
    holder:
      holderNihii && holderSsin && holderName
        ? { nihii: holderNihii, ssin: holderSsin, name: holderName }
        : undefined,
    orgKeystore: orgFile && orgPassword ? { file: orgFile, password: orgPassword } : undefined,
    pkcs11: pkcs11Module && pkcs11Label ? { module: pkcs11Module, tokenLabel: pkcs11Label } : undefined,
    personalKeystore:
      personalFile && personalPassword ? { file: personalFile, password: personalPassword } : undefined,
    package:
      packageName && licenseUser && licensePassword
        ? { name: packageName, licenseUser, licensePassword }
        : undefined,
    tokensFile,
    demoSofthsmModule: file("MCN_DEMO_SOFTHSM_MODULE") ?? DEFAULTS.demoSofthsmModule,
  };
  return { ok: true, config: deepFreeze(config) };

  /** Comma-separated six-digit eFact rejection codes; every bad one is named. */
  function codeList(name: string, fallback: readonly string[]): readonly string[] {
    const v = get(name);
    if (v === undefined) return Object.freeze([...fallback]);
    const codes = v
      .split(",")
      .map((c) => c.trim())
      .filter((c) => c !== "");
    const bad = codes.filter((c) => !REJECTION_CODE.test(c));
    if (codes.length === 0 || bad.length > 0) {
      problems.push(
        `${name}: expected six-digit rejection codes separated by commas${bad.length > 0 ? ` (not a code: ${bad.map((c) => `"${c}"`).join(", ")})` : ""}`,
      );
      return Object.freeze([...fallback]);
    }
    return Object.freeze([...new Set(codes)]);
  }

  function integer(name: string, fallback: number, min: number, max: number): number {
    const v = get(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name}: expected an integer from ${min} to ${max} (got "${v}")`);
      return fallback;
    }
    return n;
  }
}

/** MCN_DATA_DIR alone, for tools that need nothing else (`mcn-rights audit verify`). */
export function dataDirOf(env: Env, cwd: string = process.cwd()): string {
  const v = env["MCN_DATA_DIR"]?.trim();
  return v ? (isAbsolute(v) ? v : resolve(cwd, v)) : resolve(cwd, DEFAULTS.dataDir);
}

function parseListen(text: string): { host: string; port: number } | undefined {
  const m = /^(\[[0-9a-fA-F:]+\]|[^:]+):([0-9]{1,5})$/.exec(text);
  if (!m?.[1] || !m[2]) return undefined;
  const port = Number(m[2]);
  if (port > 65535) return undefined;
  return { host: m[1].replace(/^\[|\]$/g, ""), port };
}
