// Signers over the shared test PKI (tests/support/pki.ts), for the WS-Security, STS and
// simulated-STS tests. Keystores are loaded once per test file (forge is slow).
import { createPrivateKey, X509Certificate } from "node:crypto";
import { testPki } from "../../../../tests/support/pki.js";
import { MemorySigner } from "../../keys/memory.js";
import { loadPkcs12 } from "../../keys/pkcs12.js";

const der = (pem: string): Buffer => Buffer.from(new X509Certificate(pem).raw);

export function credentials() {
  const pki = testPki();
  const p12 = (k: { p12Path: string; password: string }): MemorySigner => loadPkcs12(k.p12Path, k.password);
  return {
    pki,
    caDer: der(pki.ca.certPem),
    foreignCaDer: der(pki.foreignCa.certPem),
    sts: new MemorySigner(createPrivateKey(pki.sts.keyPem), der(pki.sts.certPem)),
    /** The pharmacy's organisation certificate: holder-of-key. */
    organisation: p12(pki.organisation),
    /** The holder's personal eHealth certificate: identification. */
    personal: p12(pki.personal),
    revoked: p12(pki.revokedPersonal),
    foreign: p12(pki.foreignPersonal),
  };
}

export type Credentials = ReturnType<typeof credentials>;
