// What the shared test PKI holds (made once by the vitest global setup): subjects shaped like
// eHealth's and the eID's, chains that verify, the revoked and untrusted credentials, and
// keystores that other tools read too.
import { spawnSync } from "node:child_process";
import { X509Certificate, createPrivateKey, sign, verify } from "node:crypto";
import { statSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { TEST_PKI_DIR, testPki } from "../../../tests/support/pki.js";
import { describeCertificate } from "../../ehealth/keys/certificate.js";
import { checkNiss, isNihii } from "../oracle/index.js";

const pki = testPki();
const x509 = (pem: string) => new X509Certificate(pem);
const ca = x509(pki.ca.certPem);

describe("the shared test PKI", () => {
  it("lives in .data/test-pki with its own SoftHSM configuration", () => {
    expect(pki.dir).toBe(TEST_PKI_DIR);
    expect(dirname(pki.eid.conf)).toBe(TEST_PKI_DIR);
    expect(pki.eid.module).toBe("/usr/lib/softhsm/libsofthsm2.so");
    expect(process.env["SOFTHSM2_CONF"]).toBe(pki.eid.conf);
  });

  it("uses valid identifiers: pharmacy NIHII of 8 digits, titular pharmacist ending in 001, SSIN", () => {
    expect(isNihii(pki.pharmacy.nihii)).toBe(true);
    expect(pki.pharmacy.nihii).toMatch(/^[0-9]{8}$/);
    expect(isNihii(pki.holder.nihii)).toBe(true);
    expect(pki.holder.nihii).toMatch(/^[0-9]{8}001$/);
    expect(checkNiss(pki.holder.ssin)).toBe("ok");
    expect(pki.holder.name).toBe(`${pki.eid.givenName} ${pki.eid.surname}`);
  });

  it("has a self-signed CA that issued the STS, organisation, personal, revoked and eID certificates", () => {
    expect(describeCertificate(ca.raw).subject).toBe("CN=mcn-rights Test CA,O=mcn-rights,C=BE");
    expect(ca.ca).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    for (const pem of [
      pki.sts.certPem,
      pki.organisation.certPem,
      pki.personal.certPem,
      pki.revokedPersonal.certPem,
      pki.eid.certPem,
    ]) {
      expect(x509(pem).checkIssued(ca)).toBe(true);
      expect(x509(pem).verify(ca.publicKey)).toBe(true);
    }
  });

  it("has an untrusted personal certificate that the test CA did not sign", () => {
    const foreign = x509(pki.foreignPersonal.certPem);
    expect(foreign.verify(ca.publicKey)).toBe(false);
    expect(foreign.verify(x509(pki.foreignCa.certPem).publicKey)).toBe(true);
    expect(describeCertificate(foreign.raw).ssin).toBe(pki.holder.ssin);
  });

  it("lists the revoked personal certificate, and only it, as revoked", () => {
    expect(pki.revokedSerials).toEqual([x509(pki.revokedPersonal.certPem).serialNumber]);
    expect(pki.revokedSerials).not.toContain(x509(pki.personal.certPem).serialNumber);
    expect(pki.revokedPersonal.serialNumber).toBe(pki.revokedSerials[0]);
  });

  it("shapes the organisation certificate like eHealth's, with the pharmacy NIHII", () => {
    const described = describeCertificate(x509(pki.organisation.certPem).raw);
    const id = `NIHII-PHARMACY=${pki.pharmacy.nihii}`;
    expect(described.subject).toBe(
      `CN=${id},OU=${id},OU=${pki.pharmacy.name},OU=eHealth-platform Belgium,O=Federal Government,C=BE`,
    );
    expect(described.nihiiPharmacy).toBe(pki.pharmacy.nihii);
    expect(pki.organisation.nihii).toBe(pki.pharmacy.nihii);
  });

  it("shapes the personal certificate like eHealth's, with the SSIN", () => {
    const id = `SSIN=${pki.holder.ssin}`;
    expect(describeCertificate(x509(pki.personal.certPem).raw).subject).toBe(
      `CN=${id},OU=${id},OU=${pki.holder.name},OU=eHealth-platform Belgium,O=Federal Government,C=BE`,
    );
  });

  it("shapes the eID certificate like the Belgian eID's, with the SSIN in serialNumber", () => {
    const described = describeCertificate(x509(pki.eid.certPem).raw);
    expect(described).toMatchObject({
      ssin: pki.holder.ssin,
      givenName: pki.eid.givenName,
      surname: pki.eid.surname,
      commonName: `${pki.eid.givenName} ${pki.eid.surname} (Authentication)`,
    });
    expect(described.subject).toBe(
      `serialNumber=${pki.holder.ssin},GN=${pki.eid.givenName},SN=${pki.eid.surname},` +
        `CN=${pki.eid.givenName} ${pki.eid.surname} (Authentication),C=BE`,
    );
  });

  it("gives the STS a signing certificate whose key is the one in sts.key.pem", () => {
    const data = Buffer.from("assertion");
    const signature = sign("sha256", data, createPrivateKey(pki.sts.keyPem));
    expect(verify("sha256", data, x509(pki.sts.certPem).publicKey, signature)).toBe(true);
    expect(describeCertificate(x509(pki.sts.certPem).raw).subject).toContain("OU=eHealth-platform Belgium");
  });

  it("writes keystores OpenSSL reads with their passwords, under the alias 'authentication'", () => {
    for (const keystore of [pki.organisation, pki.personal, pki.revokedPersonal, pki.foreignPersonal]) {
      const run = spawnSync(
        "openssl",
        ["pkcs12", "-in", keystore.p12Path, "-passin", "env:P12_PASS", "-nodes", "-info"],
        {
          env: { ...process.env, P12_PASS: keystore.password },
          encoding: "utf8",
        },
      );
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain("friendlyName: authentication");
      expect(run.stdout).toContain("BEGIN PRIVATE KEY");
    }
  });

  it("keeps private keys and keystores readable by their owner only", () => {
    for (const path of [pki.ca.keyPath, pki.sts.keyPath, pki.organisation.p12Path, pki.personal.p12Path]) {
      expect(statSync(path).mode & 0o077).toBe(0);
    }
  });
});
