// Enveloped XML signatures over a whole document element: the STS request's proof of possession
// (mycarenet-protocol §3.2: Reference #RequestID, enveloped + exc-c14n, SHA-256, RSA-SHA256, by
// the holder-of-key key) and the assertions the STS signs (§3.5: Reference #AssertionID).
import type { Signer } from "../keys/signer.js";
import { ALG, NS } from "../xml/namespaces.js";
import { assertUniqueIds, only, verifyDsig } from "./dsig.js";
import { WsSecurityRejected } from "./rejected.js";
import { signXml } from "./sign-xml.js";

const TRANSFORMS = [ALG.enveloped, ALG.excC14n];

export interface EnvelopedOptions {
  /** The document element's identifier attribute the Reference points to. */
  readonly idAttribute: "AssertionID" | "RequestID" | "ResponseID";
  /** Where the schema wants ds:Signature: first child (samlp:Request) or last (saml:Assertion). */
  readonly position: "first" | "last";
  /** Put the signer's certificate in KeyInfo/X509Data. */
  readonly includeCertificate: boolean;
}

/** Signs the document element of `xml` (which must carry its `idAttribute`). */
export function signEnveloped(xml: string, signer: Signer, opts: EnvelopedOptions): Promise<string> {
  return signXml(xml, {
    signer,
    references: [{ xpath: "/*", transforms: TRANSFORMS }],
    location: { xpath: "/*", action: opts.position === "first" ? "prepend" : "append" },
    ...(opts.includeCertificate
      ? {
          keyInfoXml: `<ds:X509Data><ds:X509Certificate>${signer.certificateDer.toString("base64")}</ds:X509Certificate></ds:X509Data>`,
        }
      : {}),
    id: { attribute: opts.idAttribute },
  });
}

/**
 * Verifies the enveloped signature that is a direct child of `element`, made with the key of
 * `certificateDer` over exactly that element. `xml` is the text `element`'s document came from.
 * Throws WsSecurityRejected.
 */
export function verifyEnveloped(
  xml: string,
  element: Element,
  idAttribute: EnvelopedOptions["idAttribute"],
  certificateDer: Buffer,
): void {
  const doc = element.ownerDocument;
  if (doc) assertUniqueIds(doc);
  const signature = only(element, NS.ds, "Signature", "signature-invalid");
  if (!element.getAttribute(idAttribute))
    throw new WsSecurityRejected("reference-missing", `no ${idAttribute}`);
  verifyDsig(xml, signature, [{ element, idAttribute, transforms: TRANSFORMS }], certificateDer);
}
