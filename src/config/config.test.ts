import { describe, expect, it } from "vitest";
import { SOFTHSM_MODULE } from "../simulator/pki/index.js";
import { DEFAULTS, loadConfig, resolveConfig } from "./index.js";

const realEnv = {
  MCN_ENV: "acceptance",
  MCN_STS_CERT: "/etc/mcn/sts.pem",
  MCN_PHARMACY_NIHII: "62599147",
  MCN_PHARMACY_NAME: "Pharmacie du Centre",
  MCN_HOLDER_NIHII: "20000014001",
  MCN_HOLDER_SSIN: "85073003328",
  MCN_HOLDER_NAME: "Anne Dupont",
  MCN_ORG_KEYSTORE: "/etc/mcn/org.p12",
  MCN_ORG_KEYSTORE_PASSWORD: "secret",
  MCN_PERSONAL_KEYSTORE: "/etc/mcn/me.p12",
  MCN_PERSONAL_KEYSTORE_PASSWORD: "secret",
  MCN_PACKAGE_NAME: "mcn-rights",
  MCN_PACKAGE_LICENSE_USER: "user",
  MCN_PACKAGE_LICENSE_PASSWORD: "pw",
  MCN_TOKENS_FILE: "/etc/mcn/tokens.json",
};

describe("configuration", () => {
  it("runs demo mode with no setting at all, on loopback", () => {
    const r = loadConfig({}, "/srv");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.env).toBe("demo");
    expect(r.config.listen).toEqual({ host: "127.0.0.1", port: 8750 });
    expect(r.config.timeoutMs).toBe(DEFAULTS.timeoutMs);
    expect(r.config.dataDir).toBe("/srv/data");
    expect(Object.isFrozen(r.config)).toBe(true);
  });

  it("goes to the STS's WS-Trust door by default; MCN_STS_PROTOCOL forces a door or is refused", () => {
    const r = loadConfig(realEnv);
    expect(r.ok && r.config.stsUrl).toBe("https://services-acpt.ehealth.fgov.be/IAM/SecurityTokenService/v1");
    expect(r.ok && r.config.stsProtocol).toBeUndefined();
    const forced = loadConfig({ ...realEnv, MCN_STS_PROTOCOL: "saml-p" });
    expect(forced.ok && forced.config.stsProtocol).toBe("saml-p");
    const bad = loadConfig({ ...realEnv, MCN_STS_PROTOCOL: "wstrust" });
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.problems).toEqual(['MCN_STS_PROTOCOL: must be ws-trust or saml-p (got "wstrust")']);
  });

  it("takes the official legacy door's URL when MCN_STS_PROTOCOL=saml-p and MCN_STS_URL is not set", () => {
    const forced = loadConfig({ ...realEnv, MCN_STS_PROTOCOL: "saml-p" });
    expect(forced.ok && forced.config.stsUrl).toBe(
      "https://services-acpt.ehealth.fgov.be/IAM/Saml11TokenService/Legacy/v1",
    );
    const production = loadConfig({ ...realEnv, MCN_ENV: "production", MCN_STS_PROTOCOL: "saml-p" });
    expect(production.ok && production.config.stsUrl).toBe(
      "https://services.ehealth.fgov.be/IAM/Saml11TokenService/Legacy/v1",
    );
    // A URL given is the operator's: forcing the door does not change it.
    const proxied = loadConfig({
      ...realEnv,
      MCN_STS_PROTOCOL: "saml-p",
      MCN_STS_URL: "https://proxy.example/sts",
    });
    expect(proxied.ok && proxied.config.stsUrl).toBe("https://proxy.example/sts");
  });

  it("takes the official acceptance endpoints unless overridden", () => {
    const r = loadConfig(realEnv);
    expect(r.ok && r.config.insurabilityUrl).toBe("https://services-acpt.ehealth.fgov.be/Insurability/v2");
    const o = loadConfig({ ...realEnv, MCN_INSURABILITY_URL: "http://127.0.0.1:8751/Insurability/v2" });
    expect(o.ok && o.config.insurabilityUrl).toBe("http://127.0.0.1:8751/Insurability/v2");
  });

  it("reports every bad or missing setting on its own line, naming it", () => {
    const r = loadConfig({
      MCN_ENV: "production",
      MCN_LISTEN: "nowhere",
      MCN_TIMEOUT_MS: "fast",
      MCN_LANG: "de",
      MCN_HOLDER_NIHII: "20000014002",
      MCN_PHARMACY_NIHII: "12345678",
      MCN_INSURABILITY_URL: "http://example.org/x",
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const named = (v: string) => r.problems.filter((p) => p.startsWith(`${v}:`)).length;
    for (const v of [
      "MCN_LISTEN",
      "MCN_TIMEOUT_MS",
      "MCN_LANG",
      "MCN_HOLDER_NIHII",
      "MCN_PHARMACY_NIHII",
      "MCN_INSURABILITY_URL",
      "MCN_STS_CERT",
      "MCN_ORG_KEYSTORE",
      "MCN_TOKENS_FILE",
      "MCN_PACKAGE_LICENSE_USER",
    ]) {
      expect(named(v), v).toBe(1);
    }
    expect(r.problems.every((p) => !p.includes("\n"))).toBe(true);
  });

  it("refuses an unknown environment and half an eID setting", () => {
    const r = loadConfig({ MCN_ENV: "staging", MCN_PKCS11_MODULE: "/usr/lib/softhsm/libsofthsm2.so" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.some((p) => p.startsWith("MCN_ENV:"))).toBe(true);
    expect(r.problems.some((p) => p.startsWith("MCN_PKCS11_TOKEN_LABEL:"))).toBe(true);
  });

  it("reads the circuit threshold and probe interval, with defaults and bounds", () => {
    const d = loadConfig({});
    expect(d.ok && [d.config.circuitThreshold, d.config.probeMs]).toEqual([
      DEFAULTS.circuitThreshold,
      DEFAULTS.probeMs,
    ]);
    const set = loadConfig({ MCN_CIRCUIT_THRESHOLD: "5", MCN_PROBE_MS: "250" });
    expect(set.ok && [set.config.circuitThreshold, set.config.probeMs]).toEqual([5, 250]);
    const bad = loadConfig({ MCN_CIRCUIT_THRESHOLD: "0", MCN_PROBE_MS: "soon" });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems.map((p) => p.split(":")[0]).sort()).toEqual([
      "MCN_CIRCUIT_THRESHOLD",
      "MCN_PROBE_MS",
    ]);
  });

  it("accepts an IPv6 listen address", () => {
    const r = loadConfig({ MCN_LISTEN: "[::1]:0" });
    expect(r.ok && r.config.listen).toEqual({ host: "::1", port: 0 });
  });

  it("hands out a configuration no part of which can be changed", () => {
    const r = loadConfig({});
    if (!r.ok) throw new Error(r.problems.join("; "));
    expect(Object.isFrozen(r.config)).toBe(true);
    expect(Object.isFrozen(r.config.listen)).toBe(true);
    expect(Object.isFrozen(r.config.proportionality)).toBe(true);
    expect(Object.isFrozen(r.config.pricingOffice.reasons)).toBe(true);
    expect(Object.isFrozen(DEFAULTS.proportionality)).toBe(true);
    expect(r.config.pricingOffice.maxUses).toBe(DEFAULTS.pricingOfficeMaxUses);
    expect(r.config.retentionMonths).toBe(DEFAULTS.retentionMonths);
  });

  it("looks for SoftHSM2 where the simulator's eID is made, unless MCN_DEMO_SOFTHSM_MODULE says otherwise", () => {
    const r = loadConfig({}, "/srv");
    expect(r.ok && r.config.demoSofthsmModule).toBe(SOFTHSM_MODULE);
    const o = loadConfig({ MCN_DEMO_SOFTHSM_MODULE: "lib/softhsm.so" }, "/srv");
    expect(o.ok && o.config.demoSofthsmModule).toBe("/srv/lib/softhsm.so");
  });

  it("resolves credentials only when every one is there, naming each one missing", () => {
    const demo = loadConfig({});
    if (!demo.ok) throw new Error(demo.problems.join("; "));
    const unresolved = resolveConfig(demo.config);
    expect(unresolved.ok).toBe(false);
    if (unresolved.ok) return;
    expect(unresolved.problems.map((p) => p.split(":")[0])).toEqual([
      "MCN_STS_URL",
      "MCN_INSURABILITY_URL",
      "MCN_STS_CERT",
      "MCN_PHARMACY_NIHII, MCN_PHARMACY_NAME",
      "MCN_HOLDER_NIHII, MCN_HOLDER_SSIN, MCN_HOLDER_NAME",
      "MCN_ORG_KEYSTORE, MCN_ORG_KEYSTORE_PASSWORD",
      "MCN_PACKAGE_NAME, MCN_PACKAGE_LICENSE_USER, MCN_PACKAGE_LICENSE_PASSWORD",
      "MCN_TOKENS_FILE",
    ]);
    const complete = resolveConfig({
      ...demo.config,
      stsUrl: "https://sts.test/IAM/SecurityTokenService/v1",
      insurabilityUrl: "https://mcn.test/Insurability/v2",
      stsCertFile: "/etc/sts.pem",
      pharmacy: { nihii: "12345678", name: "P" },
      holder: { nihii: "12345678001", ssin: "85073003328", name: "H" },
      orgKeystore: { file: "/etc/org.p12", password: "x" },
      package: { name: "n", licenseUser: "u", licensePassword: "p" },
      tokensFile: "/etc/tokens.json",
    });
    expect(complete.ok && complete.config.tokensFile).toBe("/etc/tokens.json");
  });
});
