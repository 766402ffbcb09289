// The one place that drives xml-crypto to produce a signature. The private key never reaches
// xml-crypto: a signature-algorithm class bound to a Signer (PKCS#11 token, PKCS#12 key in
// memory) receives the canonical SignedInfo through xml-crypto's callback API and asks the Signer.
import type { BinaryLike, KeyLike } from "node:crypto";
import { SignedXml } from "xml-crypto";
import type { ErrorFirstCallback, SignatureAlgorithm } from "xml-crypto";
import {
  SIGNATURE_METHOD,
  signatureAlgorithmFor,
  type Signer,
  type SignatureAlgorithm as SignerAlgorithm,
} from "../keys/signer.js";
import { ALG } from "../xml/namespaces.js";

// xml-crypto insists on a private key before it calls the algorithm; the Signer holds the real one.
const KEY_HELD_BY_SIGNER = "key-held-by-signer";

function signerAlgorithm(signer: Signer, algorithm: SignerAlgorithm): new () => SignatureAlgorithm {
  return class SignerAlgorithm implements SignatureAlgorithm {
    getSignature(signedInfo: BinaryLike, privateKey: KeyLike): string;
    getSignature(signedInfo: BinaryLike, privateKey: KeyLike, callback?: ErrorFirstCallback<string>): void;
    getSignature(
      signedInfo: BinaryLike,
      _key: KeyLike,
      callback?: ErrorFirstCallback<string>,
    ): string | void {
      if (callback === undefined) throw new Error("signing goes through the Signer: callback form only");
      const data =
        typeof signedInfo === "string"
          ? Buffer.from(signedInfo, "utf8")
          : Buffer.from(signedInfo as Uint8Array);
      signer.sign(data, algorithm).then(
        (value) => callback(null, value.toString("base64")),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }
    verifySignature(material: string, key: KeyLike, signatureValue: string): boolean;
    verifySignature(
      material: string,
      key: KeyLike,
      signatureValue: string,
      cb?: ErrorFirstCallback<boolean>,
    ): void;
    verifySignature(): boolean | void {
      throw new Error("this algorithm only signs");
    }
    getAlgorithmName(): string {
      return SIGNATURE_METHOD[algorithm];
    }
  };
}

export interface XmlReference {
  /** XPath selecting exactly the element to sign (local-name()/namespace-uri() tests, no prefixes). */
  readonly xpath: string;
  readonly transforms: readonly string[];
}

export interface SignXmlOptions {
  readonly signer: Signer;
  readonly references: readonly XmlReference[];
  /** Where the ds:Signature goes: an XPath to an element and append (last child) or prepend. */
  readonly location: { readonly xpath: string; readonly action: "append" | "prepend" };
  /** Content of ds:KeyInfo (declaring its own namespaces); none when omitted. */
  readonly keyInfoXml?: string;
  /** "wssecurity": ids are wsu:Id; otherwise the named attribute (AssertionID, RequestID…). */
  readonly id: { readonly mode: "wssecurity" } | { readonly attribute: string };
  /** For an EC key: the digest of the ECDSA signature, when a verifier asks for SHA-384. */
  readonly ecDigest?: "SHA256" | "SHA384";
}

/**
 * Signs with RSA-SHA256 (ECDSA-SHA256 for an EC key) over exclusive-c14n SignedInfo, SHA-256
 * digests; returns the document.
 */
export function signXml(xml: string, options: SignXmlOptions): Promise<string> {
  const algorithm = signatureAlgorithmFor(options.signer.keyAlgorithm, options.ecDigest);
  const method = SIGNATURE_METHOD[algorithm];
  const sig = new SignedXml({
    ...("mode" in options.id ? { idMode: options.id.mode } : { idAttribute: options.id.attribute }),
    privateKey: KEY_HELD_BY_SIGNER,
    signatureAlgorithm: method,
    canonicalizationAlgorithm: ALG.excC14n,
    getKeyInfoContent: () => options.keyInfoXml ?? null,
  });
  sig.SignatureAlgorithms[method] = signerAlgorithm(options.signer, algorithm);
  for (const ref of options.references) {
    sig.addReference({ xpath: ref.xpath, transforms: [...ref.transforms], digestAlgorithm: ALG.sha256 });
  }
  return new Promise((resolve, reject) => {
    try {
      sig.computeSignature(
        xml,
        { prefix: "ds", location: { reference: options.location.xpath, action: options.location.action } },
        (error, signed) =>
          error || !signed ? reject(error ?? new Error("no signature")) : resolve(signed.getSignedXml()),
      );
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/** An XPath step matching one element by namespace and local name, whatever its prefix. */
export const step = (ns: string, localName: string): string =>
  `*[local-name()='${localName}' and namespace-uri()='${ns}']`;
