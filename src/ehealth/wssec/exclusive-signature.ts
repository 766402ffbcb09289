// The one signature profile on every consultation (mycarenet-protocol §3.7): references to
// elements by their identifier, exclusive c14n as the only transform, SHA-256 digests,
// RSA-SHA256 (ECDSA-SHA256 for an EC key) over the exclusive-c14n SignedInfo. Built as text rather than through xml-crypto's
// generic machinery (XPath lookups, whole-document re-serialisation), which cost several times
// the RSA signature itself; the referenced elements come canonicalised (own-c14n.ts, checked
// equal to xml-crypto's) or are canonicalised by xml-crypto's own exclusive c14n, so what is
// digested here is what any verifier computes. xmlsec1 checks the
// result in saml-key-id.int.test.ts and ehealth/insurability/client.int.test.ts.
import { createHash } from "node:crypto";
import { ExclusiveCanonicalization } from "xml-crypto";
import { SIGNATURE_METHOD, signatureAlgorithmFor, type Signer } from "../keys/signer.js";
import { ALG, NS } from "../xml/namespaces.js";

/** What a Reference digests: a parsed element, or its exclusive c14n already made (own-c14n.ts). */
export type SignedElement =
  | {
      /** The identifier the Reference URI names (`#id`): an NCName, written as is. */ readonly id: string;
      readonly element: Element;
    }
  | { readonly id: string; readonly canonical: string };

const NCNAME = /^[A-Za-z_][\w.-]*$/;

/** Exclusive XML canonicalisation (without comments) of one element and its subtree. */
export function exclusiveC14n(element: Element): string {
  return new ExclusiveCanonicalization().process(element, {});
}

/**
 * The `ds:Signature` element (declaring the ds namespace) over `elements`, with `keyInfoXml` as
 * the content of ds:KeyInfo. The caller puts it where its profile wants it.
 */
export async function exclusiveSignature(
  elements: readonly SignedElement[],
  signer: Signer,
  keyInfoXml: string,
): Promise<string> {
  const references = elements
    .map((signed) => {
      const { id } = signed;
      if (!NCNAME.test(id)) throw new TypeError("a signed element's identifier must be an NCName");
      const canonical = "canonical" in signed ? signed.canonical : exclusiveC14n(signed.element);
      const digest = createHash("sha256").update(canonical, "utf8").digest("base64");
      return (
        `<ds:Reference URI="#${id}"><ds:Transforms><ds:Transform Algorithm="${ALG.excC14n}"></ds:Transform>` +
        `</ds:Transforms><ds:DigestMethod Algorithm="${ALG.sha256}"></ds:DigestMethod>` +
        `<ds:DigestValue>${digest}</ds:DigestValue></ds:Reference>`
      );
    })
    .join("");
  // Written in canonical form already (end tags, attribute order, no redundant declarations):
  // the exclusive c14n of SignedInfo as the apex only adds the ds declaration it uses.
  const algorithm = signatureAlgorithmFor(signer.keyAlgorithm);
  const signedInfo =
    `<ds:CanonicalizationMethod Algorithm="${ALG.excC14n}"></ds:CanonicalizationMethod>` +
    `<ds:SignatureMethod Algorithm="${SIGNATURE_METHOD[algorithm]}"></ds:SignatureMethod>${references}`;
  const canonical = Buffer.from(`<ds:SignedInfo xmlns:ds="${NS.ds}">${signedInfo}</ds:SignedInfo>`, "utf8");
  const value = await signer.sign(canonical, algorithm);
  return (
    `<ds:Signature xmlns:ds="${NS.ds}"><ds:SignedInfo>${signedInfo}</ds:SignedInfo>` +
    `<ds:SignatureValue>${value.toString("base64")}</ds:SignatureValue>` +
    `<ds:KeyInfo>${keyInfoXml}</ds:KeyInfo></ds:Signature>`
  );
}
