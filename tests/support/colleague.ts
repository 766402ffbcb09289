// A second pharmacist of the pharmacy (brochure §8.2.2.3: any authorised pharmacist may open a
// session): another SSIN, a NIHII of their own (an assistant's, `…002`), and a personal eHealth
// certificate issued by the shared test PKI's CA, shaped like the titular's (`CN=SSIN=…`, the
// name as an OU), written as a PKCS#12 keystore into a fresh directory.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import forge from "node-forge";
import { makeNihii, makeNiss } from "../../src/identifiers/index.js";
import { issueCertificate, newRsaKeyPair, OID } from "../../src/simulator/pki/issue.js";
import { pkcs12Keystore } from "../../src/simulator/pki/keystore.js";
import { testPki } from "./pki.js";

export interface Colleague {
  readonly ssin: string;
  readonly nihii: string;
  readonly name: string;
  readonly p12Path: string;
  readonly password: string;
}

export const COLLEAGUE = Object.freeze({
  ssin: makeNiss({ birthDate: "1986-11-02", sequence: 57 }),
  nihii: makeNihii(271_408, "002"),
  givenName: "Marc",
  surname: "Peeters",
});

/** The colleague's personal keystore (a new key each call: RSA-2048 takes a moment). */
export async function colleagueKeystore(
  who: { ssin: string; nihii: string; givenName: string; surname: string } = COLLEAGUE,
): Promise<Colleague> {
  const pki = testPki();
  const caCert = forge.pki.certificateFromPem(pki.ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(pki.ca.keyPem) as forge.pki.rsa.PrivateKey;
  const keys = await newRsaKeyPair();
  const name = `${who.givenName} ${who.surname}`;
  const identifier = `SSIN=${who.ssin}`;
  const certificate = issueCertificate({
    subject: (
      [
        ["country", "BE"],
        ["organisation", "Federal Government"],
        ["organisationalUnit", "eHealth-platform Belgium"],
        ["organisationalUnit", name],
        ["organisationalUnit", identifier],
        ["commonName", identifier],
      ] as const
    ).map(([type, value]) => ({ type: OID[type], value })),
    publicKey: keys.publicKey,
    profile: "client-authentication",
    issuer: {
      certificate: caCert,
      keys: {
        privateKey: caKey,
        publicKey: forge.pki.setRsaPublicKey(caKey.n, caKey.e),
        privateKeyPem: pki.ca.keyPem,
      },
    },
    notBefore: new Date(pki.options.notBefore),
    notAfter: new Date(pki.options.notAfter),
  });
  const password = "colleague-keystore-test";
  const p12Path = join(mkdtempSync(join(tmpdir(), "mcn-colleague-")), "personal.p12");
  writeFileSync(
    p12Path,
    pkcs12Keystore({ privateKey: keys.privateKey, chain: [certificate, caCert], password }),
    {
      mode: 0o600,
    },
  );
  return { ssin: who.ssin, nihii: who.nihii, name, p12Path, password };
}
