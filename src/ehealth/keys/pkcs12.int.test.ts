// eHealth keystores from the test PKI, plus keystores written by OpenSSL 3 (other algorithms than
// forge's), and every way a keystore can fail to load.
import { spawnSync } from "node:child_process";
import { X509Certificate, verify } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import forge from "node-forge";
import { afterAll, describe, expect, it } from "vitest";
import { testPki } from "../../../tests/support/pki.js";
import { CodedError } from "../../errors.js";
import { pkcs12Keystore } from "../../simulator/pki/keystore.js";
import { describeCertificate } from "./certificate.js";
import { loadPkcs12 } from "./pkcs12.js";

const pki = testPki();
const DATA = Buffer.from("<soap:Body wsu:Id='body'/>");
const scratch = mkdtempSync(join(tmpdir(), "mcn-pkcs12-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function failure(load: () => unknown): CodedError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(CodedError);
    return error as CodedError;
  }
  throw new Error("expected the keystore to be refused");
}

/** `openssl pkcs12 -export` with OpenSSL 3 defaults (AES-256-CBC, PBKDF2, SHA-256 MAC). */
function opensslKeystore(file: string, args: string[], password = "openssl-pass"): string {
  const out = join(scratch, file);
  const run = spawnSync("openssl", ["pkcs12", "-export", ...args, "-passout", "env:P12_PASS", "-out", out], {
    env: { ...process.env, P12_PASS: password },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`openssl pkcs12 failed: ${run.stderr}`);
  return out;
}

async function signsAndVerifies(signer: ReturnType<typeof loadPkcs12>): Promise<boolean> {
  const signature = await signer.sign(DATA, "RSA-SHA256");
  return verify("sha256", DATA, new X509Certificate(signer.certificateDer).publicKey, signature);
}

describe("loadPkcs12", () => {
  it("loads the pharmacy's organisation keystore: its certificate carries the NIHII and its key signs", async () => {
    const signer = loadPkcs12(pki.organisation.p12Path, pki.organisation.password);
    expect(signer.kind).toBe("pkcs12");
    expect(signer.certificateDer.equals(new X509Certificate(pki.organisation.certPem).raw)).toBe(true);
    expect(describeCertificate(signer.certificateDer).nihiiPharmacy).toBe(pki.pharmacy.nihii);
    expect(await signsAndVerifies(signer)).toBe(true);
  });

  it("loads the personal keystore from bytes as well as from a path", async () => {
    const signer = loadPkcs12(readFileSync(pki.personal.p12Path), pki.personal.password);
    expect(describeCertificate(signer.certificateDer).ssin).toBe(pki.personal.ssin);
    expect(await signsAndVerifies(signer)).toBe(true);
  });

  it("refuses a wrong password with KEYSTORE_PASSWORD and never repeats the password", () => {
    const wrong = "not-the-org-password";
    const error = failure(() => loadPkcs12(pki.organisation.p12Path, wrong));
    expect(error.code).toBe("KEYSTORE_PASSWORD");
    const shown = [error.message, error.stack, JSON.stringify(error), inspect(error, { depth: 10 })].join(
      "\n",
    );
    expect(shown).not.toContain(wrong);
    expect(shown).not.toContain(pki.organisation.password);
  });

  it("says precisely why a file cannot be read, without repeating its path (eHealth names files after the SSIN)", () => {
    const missing = join(scratch, `SSIN=${pki.holder.ssin} 20250101-000000.acc-p12`);
    const error = failure(() => loadPkcs12(missing, "x"));
    expect(error.code).toBe("KEYSTORE_UNREADABLE");
    expect(error.detail).toMatchObject({ reason: "file-not-found", errno: "ENOENT" });
    expect(JSON.stringify(error) + error.message).not.toContain(pki.holder.ssin);
    expect(failure(() => loadPkcs12(scratch, "x")).detail).toMatchObject({ reason: "is-a-directory" });
  });

  it("refuses what is not a PKCS#12 keystore", () => {
    const error = failure(() => loadPkcs12(Buffer.from(pki.ca.certPem), "x"));
    expect(error.code).toBe("KEYSTORE_UNREADABLE");
    expect(error.detail).toEqual({ reason: "not-pkcs12" });
  });

  it("reads keystores written by OpenSSL 3 (AES-256, PBKDF2, SHA-256 MAC)", async () => {
    const path = opensslKeystore("openssl.p12", [
      "-inkey",
      pki.sts.keyPath,
      "-in",
      pki.sts.certPath,
      "-name",
      "authentication",
    ]);
    const signer = loadPkcs12(path, "openssl-pass");
    expect(signer.certificateDer.equals(new X509Certificate(pki.sts.certPem).raw)).toBe(true);
    expect(await signsAndVerifies(signer)).toBe(true);
    expect(failure(() => loadPkcs12(path, "wrong")).code).toBe("KEYSTORE_PASSWORD");
  });

  it("takes the only key whatever its alias, or the alias asked for, and names the aliases it has otherwise", () => {
    const path = opensslKeystore("alias.p12", [
      "-inkey",
      pki.ca.keyPath,
      "-in",
      pki.ca.certPath,
      "-name",
      "12345678",
    ]);
    expect(
      loadPkcs12(path, "openssl-pass").certificateDer.equals(new X509Certificate(pki.ca.certPem).raw),
    ).toBe(true);
    expect(loadPkcs12(path, "openssl-pass", { alias: "12345678" }).kind).toBe("pkcs12");
    const error = failure(() => loadPkcs12(path, "openssl-pass", { alias: "authentication" }));
    expect(error.code).toBe("KEYSTORE_UNREADABLE");
    expect(error.detail).toEqual({ reason: "alias-not-found", aliases: ["12345678"] });
  });

  it("refuses a keystore that holds certificates but no private key", () => {
    const path = opensslKeystore("certs-only.p12", ["-nokeys", "-in", pki.ca.certPath]);
    const error = failure(() => loadPkcs12(path, "openssl-pass"));
    expect(error.code).toBe("KEYSTORE_UNREADABLE");
    expect(error.detail).toMatchObject({ reason: "no-private-key" });
  });

  it("refuses a keystore whose certificate is not the key's", () => {
    const p12 = pkcs12Keystore({
      privateKey: forge.pki.privateKeyFromPem(pki.ca.keyPem) as forge.pki.rsa.PrivateKey,
      chain: [forge.pki.certificateFromPem(pki.sts.certPem)],
      password: "forge-pass",
    });
    const error = failure(() => loadPkcs12(p12, "forge-pass"));
    expect(error.code).toBe("KEYSTORE_UNREADABLE");
    expect(error.detail).toEqual({ reason: "no-certificate-for-key" });
  });
});
