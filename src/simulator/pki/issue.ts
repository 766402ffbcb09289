// Minting keys and certificates for the test PKI. RSA keys come from node's crypto (native and
// off the main thread); forge builds and signs the certificates.
import { generateKeyPair, randomBytes, sign } from "node:crypto";
import { promisify } from "node:util";
import forge from "node-forge";

const generateRsa = promisify(generateKeyPair);

export interface KeyPair {
  readonly privateKey: forge.pki.rsa.PrivateKey;
  readonly publicKey: forge.pki.rsa.PublicKey;
  readonly privateKeyPem: string;
}

export async function newRsaKeyPair(bits = 2048): Promise<KeyPair> {
  const { privateKey } = await generateRsa("rsa", {
    modulusLength: bits,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  return {
    privateKey: forgeKey,
    publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e),
    privateKeyPem: privateKey,
  };
}

export interface NameEntry {
  /** OID of the attribute type (2.5.4.x). */
  readonly type: string;
  readonly value: string;
}

export const OID = {
  commonName: "2.5.4.3",
  surname: "2.5.4.4",
  serialNumber: "2.5.4.5",
  country: "2.5.4.6",
  organisation: "2.5.4.10",
  organisationalUnit: "2.5.4.11",
  givenName: "2.5.4.42",
} as const;

// Country and serialNumber are PrintableString (RFC 5280 appendix A); the rest UTF8String.
const PRINTABLE: ReadonlySet<string> = new Set([OID.country, OID.serialNumber]);

function toForgeName(entries: readonly NameEntry[]): forge.pki.CertificateField[] {
  return entries.map((entry) => ({
    type: entry.type,
    value: entry.value,
    valueTagClass: (PRINTABLE.has(entry.type)
      ? forge.asn1.Type.PRINTABLESTRING
      : forge.asn1.Type.UTF8) as unknown as forge.asn1.Class,
  }));
}

export type CertificateProfile = "ca" | "signing" | "client-authentication";

export interface IssueRequest {
  readonly subject: readonly NameEntry[];
  /** An RSA key, or any key as its SubjectPublicKeyInfo DER (forge knows RSA only: EC eIDs). */
  readonly publicKey: forge.pki.rsa.PublicKey | { readonly spkiDer: Buffer };
  readonly profile: CertificateProfile;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Absent for a self-signed CA. */
  readonly issuer?: { readonly certificate: forge.pki.Certificate; readonly keys: KeyPair };
  /** Required when self-signed. */
  readonly selfSigningKey?: KeyPair;
}

/** A positive 64-bit serial in hexadecimal (RFC 5280 §4.1.2.2: positive, unique per CA). */
function newSerial(): string {
  const bytes = randomBytes(8);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x10;
  return bytes.toString("hex");
}

export function issueCertificate(request: IssueRequest): forge.pki.Certificate {
  const certificate = forge.pki.createCertificate();
  const spkiDer = "spkiDer" in request.publicKey ? request.publicKey.spkiDer : undefined;
  const signingKey = request.issuer?.keys ?? request.selfSigningKey;
  if (signingKey === undefined) throw new TypeError("issueCertificate: no issuer and no self-signing key");
  // A stand-in RSA key while forge builds the fields; the real key replaces it in the TBS below.
  certificate.publicKey =
    spkiDer === undefined ? (request.publicKey as forge.pki.rsa.PublicKey) : signingKey.publicKey;
  certificate.serialNumber = newSerial();
  certificate.validity.notBefore = request.notBefore;
  certificate.validity.notAfter = request.notAfter;
  certificate.setSubject(toForgeName(request.subject));
  certificate.setIssuer(
    request.issuer ? request.issuer.certificate.subject.attributes : toForgeName(request.subject),
  );
  // forge would derive the subjectKeyIdentifier from the stand-in key: none for an EC key.
  certificate.setExtensions(
    extensionsFor(request.profile).filter(
      (e) => spkiDer === undefined || (e as { name: string }).name !== "subjectKeyIdentifier",
    ),
  );
  signWithNode(certificate, signingKey.privateKeyPem, spkiDer);
  return certificate;
}

// forge's certificate.sign() (x509.js) with the RSA operation done natively: forge's pure
// JavaScript RSA takes a few hundred milliseconds per certificate.
function signWithNode(certificate: forge.pki.Certificate, privateKeyPem: string, spkiDer?: Buffer): void {
  const md = forge.md.sha256.create();
  const oid = forge.pki.oids["sha256WithRSAEncryption"];
  if (oid === undefined) throw new TypeError("forge has no sha256WithRSAEncryption OID");
  const mutable = certificate as unknown as {
    md: forge.md.MessageDigest;
    signatureOid: string;
    siginfo: { algorithmOid: string };
    tbsCertificate: forge.asn1.Asn1;
    signature: string;
  };
  mutable.md = md;
  mutable.signatureOid = oid;
  mutable.siginfo.algorithmOid = oid;
  mutable.tbsCertificate = getTbsCertificate(certificate);
  if (spkiDer !== undefined) {
    // TBSCertificate: [0] version, serial, signature, issuer, validity, subject, subjectPublicKeyInfo…
    (mutable.tbsCertificate.value as forge.asn1.Asn1[])[6] = forge.asn1.fromDer(spkiDer.toString("binary"));
  }
  const tbs = Buffer.from(forge.asn1.toDer(mutable.tbsCertificate).getBytes(), "binary");
  mutable.signature = sign("sha256", tbs, privateKeyPem).toString("binary");
}

// getTBSCertificate exists in node-forge (x509.js) but not in its type definitions.
const getTbsCertificate = (
  forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }
).getTBSCertificate;

function extensionsFor(profile: CertificateProfile): object[] {
  const common = [{ name: "subjectKeyIdentifier" }];
  switch (profile) {
    case "ca":
      return [
        { name: "basicConstraints", cA: true, critical: true },
        { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
        ...common,
      ];
    case "signing":
      return [
        { name: "basicConstraints", cA: false },
        { name: "keyUsage", digitalSignature: true, nonRepudiation: true, critical: true },
        ...common,
      ];
    case "client-authentication":
      // eID authentication and eHealth certificates: digitalSignature, TLS client auth.
      return [
        { name: "basicConstraints", cA: false },
        { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
        { name: "extKeyUsage", clientAuth: true },
        ...common,
      ];
  }
}

export function certificateToDer(certificate: forge.pki.Certificate): Buffer {
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(certificate)).getBytes(), "binary");
}

export function certificateToPem(certificate: forge.pki.Certificate): string {
  return forge.pki.certificateToPem(certificate);
}

/** DER of the subject Name, issuer Name and serial INTEGER, as PKCS#11 certificate objects want. */
export function certificateIdentifiers(certificate: forge.pki.Certificate): {
  subject: Buffer;
  issuer: Buffer;
  serial: Buffer;
} {
  const tbs = getTbsCertificate(certificate);
  const fields = tbs.value as forge.asn1.Asn1[];
  // TBSCertificate: [0] version, serialNumber, signature, issuer, validity, subject, …
  const der = (index: number): Buffer => {
    const field = fields[index];
    if (field === undefined) throw new TypeError("malformed TBSCertificate");
    return Buffer.from(forge.asn1.toDer(field).getBytes(), "binary");
  };
  return { serial: der(1), issuer: der(3), subject: der(5) };
}
