// TEMPORARY until the shared test PKI (tests/support/pki.ts) lands: a CA and a few leaf
// certificates minted in memory.
import { generateKeyPairSync, createPrivateKey, type KeyObject } from "node:crypto";
import forge from "node-forge";

export interface TempCredential {
  key: KeyObject;
  certificateDer: Buffer;
  certificatePem: string;
}

function keyPair(): { key: KeyObject; forgePublic: forge.pki.PublicKey; forgePrivate: forge.pki.PrivateKey } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    key: privateKey,
    forgePublic: forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString()),
    forgePrivate: forge.pki.privateKeyFromPem(privateKey.export({ type: "pkcs8", format: "pem" }).toString()),
  };
}

let serial = 1;

function issue(
  subject: forge.pki.CertificateField[],
  pair: ReturnType<typeof keyPair>,
  issuer: { subject: forge.pki.CertificateField[]; forgePrivate: forge.pki.PrivateKey } | undefined,
  ca: boolean,
): TempCredential {
  const cert = forge.pki.createCertificate();
  cert.publicKey = pair.forgePublic;
  cert.serialNumber = (serial++).toString(16).padStart(4, "0");
  cert.validity.notBefore = new Date(Date.now() - 86400_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 86400_000);
  cert.setSubject(subject);
  cert.setIssuer(issuer ? issuer.subject : subject);
  cert.setExtensions(ca ? [{ name: "basicConstraints", cA: true }, { name: "keyUsage", keyCertSign: true, cRLSign: true }] : [{ name: "basicConstraints", cA: false }]);
  cert.sign(issuer ? issuer.forgePrivate : pair.forgePrivate, forge.md.sha256.create());
  const pem = forge.pki.certificateToPem(cert);
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), "binary");
  return { key: createPrivateKey(pair.key.export({ type: "pkcs8", format: "pem" })), certificateDer: der, certificatePem: pem };
}

export function tempPki() {
  const caPair = keyPair();
  const caSubject = [{ shortName: "CN", value: "mcn-rights Test CA" }, { shortName: "C", value: "BE" }];
  const ca = issue(caSubject, caPair, undefined, true);
  const issuer = { subject: caSubject, forgePrivate: caPair.forgePrivate };
  const leaf = (subject: forge.pki.CertificateField[]) => issue(subject, keyPair(), issuer, false);
  const foreignPair = keyPair();
  const foreignSubject = [{ shortName: "CN", value: "Foreign CA" }];
  const foreignCa = issue(foreignSubject, foreignPair, undefined, true);
  return {
    ca,
    sts: leaf([{ shortName: "CN", value: "eHealth STS simulator" }, { shortName: "C", value: "BE" }]),
    organisation: leaf([{ shortName: "CN", value: "Pharmacie Test" }, { shortName: "OU", value: "NIHII-PHARMACY=62599147" }, { shortName: "C", value: "BE" }]),
    personal: leaf([{ shortName: "CN", value: "SSIN=90010100123" }, { shortName: "C", value: "BE" }]),
    revoked: leaf([{ shortName: "CN", value: "SSIN=90010100222" }, { shortName: "C", value: "BE" }]),
    foreign: issue([{ shortName: "CN", value: "SSIN=90010100123" }], keyPair(), { subject: foreignSubject, forgePrivate: foreignPair.forgePrivate }, false),
    foreignCa,
  };
}
