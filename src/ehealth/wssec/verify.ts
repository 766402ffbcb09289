// Verifies the two WS-Security profiles we send, for the simulator (and any daemon-side check):
// the signature must cover exactly the SOAP Body and the header's Timestamp (and the token, for
// the X.509 profile), each identifier must resolve to that very element and be unique (signature
// wrapping), the key is the one the profile names, and the Timestamp must be current.
import type { X509Certificate } from "node:crypto";
import { parseXml, child, childElements, text, XmlRejected } from "../xml/parse.js";
import { parseXsDateTime } from "../xml/datetime.js";
import { ALG, NS, WSS } from "../xml/namespaces.js";
import { assertUniqueIds, certificateOf, keyInfoCertificate, only, verifyDsig } from "./dsig.js";
import { WsSecurityRejected } from "./rejected.js";

const DEFAULT_SKEW_SECONDS = 60;
const EXC = [ALG.excC14n];

interface SecuredMessage {
  document: Document;
  body: Element;
  security: Element;
  timestamp: Element;
  signature: Element;
  strOf: Element;
}

export function verifyBinaryTokenSignature(
  xml: string,
  opts: { now: Date; maxSkewSeconds?: number },
): { document: Document; certificateDer: Buffer } {
  const m = securedMessage(xml);
  const bst = only(m.security, NS.wsse, "BinarySecurityToken", "token-missing");
  if (bst.getAttribute("ValueType") !== WSS.x509v3)
    throw new WsSecurityRejected("token-missing", "not an X.509v3 token");
  const ref = child(m.strOf, NS.wsse, "Reference");
  const bstId = bst.getAttributeNS(NS.wsu, "Id");
  if (!ref || !bstId || ref.getAttribute("URI") !== `#${bstId}`) {
    throw new WsSecurityRejected("token-missing", "KeyInfo does not point at the BinarySecurityToken");
  }
  const certificateDer = Buffer.from((text(bst) ?? "").replace(/\s+/g, ""), "base64");
  certificateOrThrow(certificateDer);
  verifyDsig(xml, m.signature, [wsuRef(m.body), wsuRef(m.timestamp), wsuRef(bst)], certificateDer);
  checkTimestamp(m.timestamp, opts.now, opts.maxSkewSeconds ?? DEFAULT_SKEW_SECONDS);
  return { document: m.document, certificateDer };
}

export function verifySamlKeyIdSignature(
  xml: string,
  opts: {
    now: Date;
    maxSkewSeconds?: number;
    /** `xml` already parsed with parseXml by the caller (the simulator reads the Body too). */
    document?: Document;
  },
): { document: Document; assertion: Element; holderCertificateDer: Buffer } {
  const m = securedMessage(xml, opts.document);
  const assertion = only(m.security, NS.saml, "Assertion", "token-missing");
  const keyIdentifier = child(m.strOf, NS.wsse, "KeyIdentifier");
  if (
    !keyIdentifier ||
    keyIdentifier.getAttribute("ValueType") !== WSS.samlAssertionId ||
    (text(keyIdentifier) ?? "").trim() !== assertion.getAttribute("AssertionID")
  ) {
    throw new WsSecurityRejected("token-missing", "KeyInfo does not name the assertion");
  }
  const holderCertificateDer = holderOfKeyCertificate(assertion);
  verifyDsig(xml, m.signature, [wsuRef(m.body), wsuRef(m.timestamp)], holderCertificateDer);
  checkTimestamp(m.timestamp, opts.now, opts.maxSkewSeconds ?? DEFAULT_SKEW_SECONDS);
  return { document: m.document, assertion, holderCertificateDer };
}

/** The certificate of the assertion's holder-of-key SubjectConfirmation (every statement must agree). */
export function holderOfKeyCertificate(assertion: Element): Buffer {
  const found: Buffer[] = [];
  for (const statement of childElements(assertion)) {
    const confirmation = child(
      child(statement, NS.saml, "Subject") ?? statement,
      NS.saml,
      "SubjectConfirmation",
    );
    if (!confirmation || statement.namespaceURI !== NS.saml) continue;
    const der = keyInfoCertificate(child(confirmation, NS.ds, "KeyInfo"));
    if (der) found.push(der);
  }
  const first = found[0];
  if (!first || found.some((d) => !d.equals(first))) {
    throw new WsSecurityRejected("token-missing", "the assertion names no single holder-of-key certificate");
  }
  certificateOrThrow(first);
  return first;
}

function securedMessage(xml: string, parsed?: Document): SecuredMessage {
  let document: Document;
  try {
    document = parsed ?? parseXml(xml);
  } catch (error) {
    if (error instanceof XmlRejected)
      throw new WsSecurityRejected("malformed", error.message, { cause: error });
    throw error;
  }
  const envelope = document.documentElement;
  if (!envelope || envelope.namespaceURI !== NS.soap || envelope.localName !== "Envelope") {
    throw new WsSecurityRejected("malformed", "not a SOAP 1.1 envelope");
  }
  assertUniqueIds(document);
  const header = only(envelope, NS.soap, "Header", "token-missing");
  const body = only(envelope, NS.soap, "Body", "malformed");
  const security = only(header, NS.wsse, "Security", "token-missing");
  const timestamp = only(security, NS.wsu, "Timestamp", "timestamp-missing");
  const signature = only(security, NS.ds, "Signature", "signature-invalid");
  const strOf = child(child(signature, NS.ds, "KeyInfo") ?? signature, NS.wsse, "SecurityTokenReference");
  if (!strOf) throw new WsSecurityRejected("token-missing", "KeyInfo has no SecurityTokenReference");
  return { document, body, security, timestamp, signature, strOf };
}

const wsuRef = (element: Element) => ({ element, idAttribute: "Id", transforms: EXC });

function checkTimestamp(timestamp: Element, now: Date, skewSeconds: number): void {
  const createdText = text(child(timestamp, NS.wsu, "Created"));
  const expiresText = text(child(timestamp, NS.wsu, "Expires"));
  if (createdText === undefined || expiresText === undefined) {
    throw new WsSecurityRejected("timestamp-missing", "Timestamp needs Created and Expires");
  }
  const created = parseXsDateTime(createdText);
  const expires = parseXsDateTime(expiresText);
  if (!created || !expires || expires <= created)
    throw new WsSecurityRejected("malformed", "unreadable Timestamp");
  const skew = skewSeconds * 1000;
  if (created.getTime() > now.getTime() + skew || expires.getTime() <= now.getTime() - skew) {
    throw new WsSecurityRejected("timestamp-expired", "the message Timestamp is not current");
  }
}

function certificateOrThrow(der: Buffer): X509Certificate {
  try {
    return certificateOf(der);
  } catch (error) {
    throw new WsSecurityRejected("token-missing", "the token is not a certificate", { cause: error });
  }
}
