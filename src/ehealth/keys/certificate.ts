// What a certificate says about its holder: the eID authentication certificate carries the SSIN
// in serialNumber=, eHealth personal certificates in SSIN=, the pharmacy's organisation
// certificate its NIHII in NIHII-PHARMACY= (mycarenet-protocol §3.1).
// Names are read with forge's generic ASN.1 reader (any key type, RSA or EC, as on recent eIDs);
// the structure, serial and validity come from node's X509Certificate.
import { X509Certificate } from "node:crypto";
import forge from "node-forge";

export interface NameAttribute {
  /** Short name (CN, OU, serialNumber…) or the dotted OID when it has none. */
  readonly type: string;
  readonly oid: string;
  readonly value: string;
}

export interface CertificateDescription {
  /** RFC 2253: most specific attribute first, commas, special characters escaped. */
  readonly subject: string;
  readonly issuer: string;
  readonly subjectAttributes: readonly NameAttribute[];
  readonly issuerAttributes: readonly NameAttribute[];
  /** Upper-case hexadecimal, as node prints it. */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly ssin?: string;
  readonly nihiiPharmacy?: string;
  readonly givenName?: string;
  readonly surname?: string;
  readonly commonName?: string;
}

const SHORT_NAMES: Readonly<Record<string, string>> = {
  "2.5.4.3": "CN",
  "2.5.4.4": "SN",
  "2.5.4.5": "serialNumber",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.9": "STREET",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.42": "GN",
  "0.9.2342.19200300.100.1.1": "UID",
  "0.9.2342.19200300.100.1.25": "DC",
  "1.2.840.113549.1.9.1": "emailAddress",
};

const SSIN_IN_NAME = /^SSIN=([0-9]{11})$/;
const NIHII_PHARMACY_IN_NAME = /^NIHII-PHARMACY=([0-9]{8})$/;

export function describeCertificate(der: Buffer): CertificateDescription {
  const x509 = new X509Certificate(der);
  const { subject, issuer } = readNames(der);
  const first = (type: string): string | undefined => subject.find((a) => a.type === type)?.value;
  const all = subject.filter((a) => a.type === "CN" || a.type === "OU").map((a) => a.value);
  const serialSsin = first("serialNumber");
  const ssin =
    serialSsin !== undefined && /^[0-9]{11}$/.test(serialSsin)
      ? serialSsin
      : all.map((v) => SSIN_IN_NAME.exec(v)?.[1]).find((v) => v !== undefined);
  const nihiiPharmacy = all.map((v) => NIHII_PHARMACY_IN_NAME.exec(v)?.[1]).find((v) => v !== undefined);
  const givenName = first("GN");
  const surname = first("SN");
  const commonName = first("CN");
  return {
    subject: formatRfc2253(subject),
    issuer: formatRfc2253(issuer),
    subjectAttributes: subject,
    issuerAttributes: issuer,
    serialNumber: x509.serialNumber,
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    ...(ssin === undefined ? {} : { ssin }),
    ...(nihiiPharmacy === undefined ? {} : { nihiiPharmacy }),
    ...(givenName === undefined ? {} : { givenName }),
    ...(surname === undefined ? {} : { surname }),
    ...(commonName === undefined ? {} : { commonName }),
  };
}

/** RFC 2253 §2: RDNs in reverse order of the ASN.1 sequence, values escaped per §2.4. */
export function formatRfc2253(attributes: readonly NameAttribute[]): string {
  return [...attributes]
    .reverse()
    .map((a) => `${a.type}=${escapeRfc2253(a.value)}`)
    .join(",");
}

function escapeRfc2253(value: string): string {
  let escaped = value.replace(/[,+"\\<>;]/g, (c) => `\\${c}`);
  if (escaped.startsWith("#") || escaped.startsWith(" ")) escaped = `\\${escaped}`;
  if (escaped.endsWith(" ") && escaped.length > 1) escaped = `${escaped.slice(0, -1)}\\ `;
  return escaped;
}

// Certificate ::= SEQUENCE { tbsCertificate, ... }; TBSCertificate ::= SEQUENCE { [0] version
// OPTIONAL, serialNumber, signature, issuer, validity, subject, ... } (RFC 5280 §4.1).
function readNames(der: Buffer): { subject: NameAttribute[]; issuer: NameAttribute[] } {
  const certificate = forge.asn1.fromDer(forge.util.createBuffer(der.toString("binary")), true);
  const tbs = sequence(certificate)[0];
  if (tbs === undefined) throw new TypeError("certificate without tbsCertificate");
  const fields = sequence(tbs);
  const offset = fields[0]?.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const issuer = fields[offset + 2];
  const subject = fields[offset + 4];
  if (issuer === undefined || subject === undefined) throw new TypeError("certificate without names");
  return { subject: readName(subject), issuer: readName(issuer) };
}

interface ForgeRdnAttribute {
  readonly type: string;
  readonly value: string;
  readonly valueTagClass: number;
}

// Present in node-forge (x509.js) but missing from its type definitions.
const rdnAttributesAsArray = (
  forge.pki as unknown as { RDNAttributesAsArray(name: forge.asn1.Asn1): ForgeRdnAttribute[] }
).RDNAttributesAsArray;

function readName(name: forge.asn1.Asn1): NameAttribute[] {
  // Multi-valued RDNs come out flattened; no eID or eHealth certificate uses them.
  return rdnAttributesAsArray(name).map((attribute) => {
    const oid = attribute.type;
    return {
      type: SHORT_NAMES[oid] ?? oid,
      oid,
      value: decodeString(attribute.value, attribute.valueTagClass),
    };
  });
}

// forge hands string values over as raw bytes ("binary" strings).
function decodeString(raw: string, tag: number): string {
  const bytes = Buffer.from(raw, "binary");
  if (tag === forge.asn1.Type.UTF8) return bytes.toString("utf8");
  if (tag === forge.asn1.Type.BMPSTRING) return bytes.swap16().toString("utf16le");
  return bytes.toString("latin1");
}

function sequence(node: forge.asn1.Asn1): forge.asn1.Asn1[] {
  if (!Array.isArray(node.value)) throw new TypeError("expected an ASN.1 sequence");
  return node.value;
}
