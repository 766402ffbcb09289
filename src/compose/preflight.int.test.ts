// The start's checks of what the settings name (issue 17): every missing file is one line naming
// its setting; a configuration whose files are all there passes; the PKCS#11 module must load.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig, type Settings } from "../config/index.js";
import { preflight } from "./preflight.js";
import { SOFTHSM_MODULE } from "../simulator/pki/index.js";

const dir = mkdtempSync(join(tmpdir(), "mcn-preflight-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const present = (name: string) => {
  const path = join(dir, name);
  writeFileSync(path, "x");
  return path;
};

const files = {
  MCN_STS_CERT: present("sts.pem"),
  MCN_ORG_KEYSTORE: present("org.p12"),
  MCN_PERSONAL_KEYSTORE: present("me.p12"),
  MCN_TOKENS_FILE: present("tokens.json"),
};
const env = {
  MCN_ENV: "acceptance",
  MCN_PHARMACY_NIHII: "62599147",
  MCN_PHARMACY_NAME: "Pharmacie du Centre",
  MCN_HOLDER_NIHII: "20000014001",
  MCN_HOLDER_SSIN: "85073003328",
  MCN_HOLDER_NAME: "Anne Dupont",
  MCN_ORG_KEYSTORE_PASSWORD: "secret",
  MCN_PERSONAL_KEYSTORE_PASSWORD: "secret",
  MCN_PACKAGE_NAME: "mcn-rights",
  MCN_PACKAGE_LICENSE_USER: "user",
  MCN_PACKAGE_LICENSE_PASSWORD: "pw",
  ...files,
};
function config(overrides: Record<string, string> = {}): Settings {
  const loaded = loadConfig({ ...env, ...overrides }, dir);
  if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
  return loaded.config;
}

describe("preflight", () => {
  it("passes when every named file is there (and the PKCS#11 module loads)", () => {
    expect(preflight(config())).toEqual([]);
    expect(preflight(config({ MCN_PKCS11_MODULE: SOFTHSM_MODULE, MCN_PKCS11_TOKEN_LABEL: "eid" }))).toEqual(
      [],
    );
  });

  it("names each missing file's setting, one line each", () => {
    const problems = preflight(
      config({ MCN_ORG_KEYSTORE: "missing-org.p12", MCN_TLS_CA: join(dir, "missing-ca.pem") }),
    );
    expect(problems).toEqual([
      `MCN_TLS_CA: ${join(dir, "missing-ca.pem")} does not exist`,
      `MCN_ORG_KEYSTORE: ${join(dir, "missing-org.p12")} does not exist`,
    ]);
  });

  it("refuses a PKCS#11 module that is missing or does not load", () => {
    const [missing] = preflight(config({ MCN_PKCS11_MODULE: "nowhere.so", MCN_PKCS11_TOKEN_LABEL: "eid" }));
    expect(missing).toMatch(new RegExp(`^MCN_PKCS11_MODULE: ${join(dir, "nowhere.so")} does not exist; `));
    const [unloadable] = preflight(
      config({ MCN_PKCS11_MODULE: files.MCN_TOKENS_FILE, MCN_PKCS11_TOKEN_LABEL: "eid" }),
    );
    expect(unloadable).toMatch(
      /^MCN_PKCS11_MODULE: cannot load .*tokens\.json \(.+\); install the eID middleware/,
    );
  });
});
