// Checks shared by every signature we accept (WS-Security headers, the STS request's proof of
// possession, STS assertions): exactly the algorithms we use, references that resolve to the
// elements the caller expects and to nothing else, unique identifiers (the defence against
// signature wrapping), and the cryptographic check by xml-crypto with a key the caller chose —
// never one taken from KeyInfo.
import { createHash, verify, X509Certificate } from "node:crypto";
import { LRUCache } from "lru-cache";
import { SignedXml } from "xml-crypto";
import { digestOf, keyAlgorithmOf, signatureAlgorithmOf, type SignatureAlgorithm } from "../keys/signer.js";
import { exclusiveC14n } from "./exclusive-signature.js";
import { childElements, child, text } from "../xml/parse.js";
import { ALG, NS } from "../xml/namespaces.js";
import { WsSecurityRejected } from "./rejected.js";

const ID_ATTRIBUTES = new Set(["Id", "ID", "id", "AssertionID", "RequestID", "ResponseID"]);

// The same few certificates sign every message (the pharmacy's, the STS's): parsed once each,
// looked up by their exact DER bytes.
const certificates = new LRUCache<string, X509Certificate>({ max: 64 });

/** The certificate of these DER bytes; throws like `new X509Certificate` when they are not one. */
export function certificateOf(der: Buffer): X509Certificate {
  const key = der.toString("base64");
  let certificate = certificates.get(key);
  if (certificate === undefined) {
    certificate = new X509Certificate(der);
    certificates.set(key, certificate);
  }
  return certificate;
}

/** Throws "malformed" when two elements of the document carry the same identifier. */
export function assertUniqueIds(doc: Document): void {
  const seen = new Set<string>();
  const walk = (el: Element): void => {
    for (let i = 0; i < el.attributes.length; i++) {
      const attr = el.attributes.item(i);
      if (!attr || !ID_ATTRIBUTES.has(attr.localName ?? attr.name)) continue;
      if (seen.has(attr.value)) throw new WsSecurityRejected("malformed", "an identifier appears twice");
      seen.add(attr.value);
    }
    for (const c of childElements(el)) walk(c);
  };
  if (doc.documentElement) walk(doc.documentElement);
}

/** The element's only child with this name; throws with `reason` when there is none or several. */
export function only(
  parent: Element,
  ns: string,
  localName: string,
  reason: WsSecurityRejected["reason"],
): Element {
  const found = childElements(parent).filter((e) => e.namespaceURI === ns && e.localName === localName);
  const first = found[0];
  if (!first) throw new WsSecurityRejected(reason, `${localName} is missing`);
  if (found.length > 1) throw new WsSecurityRejected("malformed", `${localName} appears more than once`);
  return first;
}

export interface ExpectedReference {
  /** The element the reference must resolve to. */
  readonly element: Element;
  /** The attribute holding its identifier (local name: Id for wsu:Id, AssertionID…). */
  readonly idAttribute: string;
  readonly transforms: readonly string[];
}

/**
 * Verifies `signature` over exactly `expected` (no more, no fewer references), with the
 * certificate's key. `xml` is the text `signature`'s document was parsed from.
 */
export function verifyDsig(
  xml: string,
  signature: Element,
  expected: readonly ExpectedReference[],
  certificateDer: Buffer,
): void {
  const signedInfo = only(signature, NS.ds, "SignedInfo", "malformed");
  const c14n = only(signedInfo, NS.ds, "CanonicalizationMethod", "malformed");
  const method = only(signedInfo, NS.ds, "SignatureMethod", "malformed");
  const algorithm = signatureAlgorithmOf(method.getAttribute("Algorithm"));
  if (c14n.getAttribute("Algorithm") !== ALG.excC14n || algorithm === undefined) {
    throw new WsSecurityRejected("malformed", "unexpected canonicalization or signature algorithm");
  }
  const keyType = certificateOf(certificateDer).publicKey.asymmetricKeyType;
  if ((keyType === "ec" ? "EC" : "RSA") !== keyAlgorithmOf(algorithm)) {
    throw new WsSecurityRejected("signature-invalid", "the signature algorithm does not fit the key");
  }
  const references = childElements(signedInfo).filter(
    (e) => e.namespaceURI === NS.ds && e.localName === "Reference",
  );
  const wanted = new Map<string, ExpectedReference>();
  for (const exp of expected) {
    const id = idOf(exp.element, exp.idAttribute);
    if (!id) throw new WsSecurityRejected("reference-missing", `${exp.element.localName} has no identifier`);
    wanted.set(`#${id}`, exp);
  }
  const covered = new Set<string>();
  for (const ref of references) {
    const uri = ref.getAttribute("URI") ?? "";
    const exp = wanted.get(uri);
    if (!exp || covered.has(uri))
      throw new WsSecurityRejected("malformed", "a reference points outside the expected elements");
    covered.add(uri);
    const transforms = childElements(child(ref, NS.ds, "Transforms") ?? ref)
      .filter((t) => t.namespaceURI === NS.ds && t.localName === "Transform")
      .map((t) => t.getAttribute("Algorithm"));
    const digest = child(ref, NS.ds, "DigestMethod")?.getAttribute("Algorithm");
    if (digest !== ALG.sha256 || transforms.join(" ") !== exp.transforms.join(" ")) {
      throw new WsSecurityRejected("malformed", "unexpected transform or digest algorithm");
    }
  }
  if (covered.size !== wanted.size)
    throw new WsSecurityRejected("reference-missing", "an expected element is not signed");
  if (exclusiveOnly(signedInfo, references, expected)) {
    verifyExclusive(signature, signedInfo, references, wanted, certificateDer, algorithm);
    return;
  }
  // xml-crypto verifies RSA only; every ECDSA signature we accept has the exclusive profile.
  if (algorithm !== "RSA-SHA256")
    throw new WsSecurityRejected("malformed", "an ECDSA signature must use the exclusive profile");

  const sig = new SignedXml({ publicCert: certificateOf(certificateDer).toString() });
  // xml-crypto looks each reference up with one XPath scan of the whole document per id
  // attribute name; ours are unique across all names already (assertUniqueIds), so one name.
  sig.idAttributes = [expected[0]?.idAttribute ?? "Id"];
  // The certificate is the caller's choice; KeyInfo is never trusted for the key.
  sig.getCertFromKeyInfo = () => null;
  let valid = false;
  try {
    sig.loadSignature(signature);
    valid = sig.checkSignature(xml);
  } catch (error) {
    throw new WsSecurityRejected("signature-invalid", "the signature does not verify", { cause: error });
  }
  if (!valid) throw new WsSecurityRejected("signature-invalid", "the signature does not verify");
}

// The profile of every consultation (exclusive-signature.ts): SignedInfo holds the two methods
// and References, each with the single exc-c14n transform, and nothing carries an
// InclusiveNamespaces list. Anything else goes through xml-crypto.
function exclusiveOnly(
  signedInfo: Element,
  references: readonly Element[],
  expected: readonly ExpectedReference[],
): boolean {
  if (!expected.every((e) => e.transforms.length === 1 && e.transforms[0] === ALG.excC14n)) return false;
  const children = childElements(signedInfo);
  if (children.length !== references.length + 2) return false;
  return children.every((el) =>
    el.localName === "Reference"
      ? childElements(child(el, NS.ds, "Transforms") ?? el).every((t) => childElements(t).length === 0)
      : childElements(el).length === 0,
  );
}

/**
 * Core validation (XML-DSig §3.2) done here rather than by xml-crypto, which re-parses the
 * document and finds each reference with an XPath scan: each reference's digest over the
 * exclusive c14n of the very element the caller expects (so no identifier lookup can be
 * redirected), then the RSA-SHA256 or ECDSA (raw r‖s) signature over the exclusive c14n of
 * SignedInfo.
 */
function verifyExclusive(
  signature: Element,
  signedInfo: Element,
  references: readonly Element[],
  wanted: ReadonlyMap<string, ExpectedReference>,
  certificateDer: Buffer,
  algorithm: SignatureAlgorithm,
): void {
  const invalid = () => new WsSecurityRejected("signature-invalid", "the signature does not verify");
  for (const ref of references) {
    const exp = wanted.get(ref.getAttribute("URI") ?? "");
    const digestValue = text(only(ref, NS.ds, "DigestValue", "malformed")) ?? "";
    if (!exp) throw invalid();
    const digest = createHash("sha256").update(exclusiveC14n(exp.element), "utf8").digest();
    if (!digest.equals(Buffer.from(digestValue, "base64"))) throw invalid();
  }
  const value = Buffer.from(text(only(signature, NS.ds, "SignatureValue", "malformed")) ?? "", "base64");
  let valid: boolean;
  try {
    const key = certificateOf(certificateDer).publicKey;
    const data = Buffer.from(exclusiveC14n(signedInfo), "utf8");
    valid =
      algorithm === "RSA-SHA256"
        ? verify("sha256", data, key, value)
        : verify(digestOf(algorithm), data, { key, dsaEncoding: "ieee-p1363" }, value);
  } catch (error) {
    throw new WsSecurityRejected("signature-invalid", "the signature does not verify", { cause: error });
  }
  if (!valid) throw invalid();
}

function idOf(element: Element, idAttribute: string): string | undefined {
  for (let i = 0; i < element.attributes.length; i++) {
    const attr = element.attributes.item(i);
    if (attr && (attr.localName ?? attr.name) === idAttribute) return attr.value;
  }
  return undefined;
}

/** The certificate in `ds:KeyInfo/ds:X509Data/ds:X509Certificate`, or undefined. */
export function keyInfoCertificate(keyInfo: Element | undefined): Buffer | undefined {
  const b64 = text(keyInfo && child(child(keyInfo, NS.ds, "X509Data") ?? keyInfo, NS.ds, "X509Certificate"));
  if (b64 === undefined) return undefined;
  const der = Buffer.from(b64.replace(/\s+/g, ""), "base64");
  return der.length > 0 ? der : undefined;
}
