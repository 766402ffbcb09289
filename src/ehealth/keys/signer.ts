// A signer holds one private key and its certificate; the key may never leave where it lives
// (an eID or SoftHSM token through PKCS#11, or a PKCS#12 keystore loaded once at start).
import { ALG } from "../xml/namespaces.js";

/** RSA: older eIDs and every eHealth keystore; EC: eIDs issued since about 2021 (P-384, SPEC §1.5). */
export type KeyAlgorithm = "RSA" | "EC";

export type SignatureAlgorithm = "RSA-SHA256" | "ECDSA-SHA256" | "ECDSA-SHA384";

export interface Signer {
  /** Which kind of credential this is, for messages and audit (never the key itself). */
  readonly kind: "pkcs11" | "pkcs12" | "memory";
  /** The private key's algorithm: decides which signature algorithms it can make. */
  readonly keyAlgorithm: KeyAlgorithm;
  /** DER bytes of the signing certificate. */
  readonly certificateDer: Buffer;
  /**
   * Signs the bytes (the signer computes the digest). ECDSA values are the raw r‖s pair, each
   * half the size of the curve order, as XML-DSig wants them (RFC 4050 §3.3, xmldsig-core1 §6.4.3).
   */
  sign(data: Buffer, algorithm: SignatureAlgorithm): Promise<Buffer>;
  /** Releases the token session, if any. */
  close(): Promise<void>;
}

/** XML-DSig SignatureMethod URIs (RFC 6931 §2.3.2, §2.3.6). */
export const SIGNATURE_METHOD: Readonly<Record<SignatureAlgorithm, string>> = {
  "RSA-SHA256": ALG.rsaSha256,
  "ECDSA-SHA256": ALG.ecdsaSha256,
  "ECDSA-SHA384": ALG.ecdsaSha384,
};

/** The algorithm of a SignatureMethod URI, or undefined when we do not accept it. */
export function signatureAlgorithmOf(uri: string | null | undefined): SignatureAlgorithm | undefined {
  for (const [algorithm, method] of Object.entries(SIGNATURE_METHOD)) {
    if (method === uri) return algorithm as SignatureAlgorithm;
  }
  return undefined;
}

/**
 * The signature a key makes for eHealth: RSA-SHA256, or ECDSA-SHA256 for EC keys (what eHealth's
 * WS-Trust STS accepts; SPEC §2) unless a verifier asks for ECDSA-SHA384.
 */
export function signatureAlgorithmFor(
  keyAlgorithm: KeyAlgorithm,
  ecDigest: "SHA256" | "SHA384" = "SHA256",
): SignatureAlgorithm {
  return keyAlgorithm === "RSA" ? "RSA-SHA256" : `ECDSA-${ecDigest}`;
}

/** The digest of an algorithm, as node's crypto names it. */
export function digestOf(algorithm: SignatureAlgorithm): "sha256" | "sha384" {
  return algorithm === "ECDSA-SHA384" ? "sha384" : "sha256";
}

/** The key algorithm a signature algorithm needs. */
export const keyAlgorithmOf = (algorithm: SignatureAlgorithm): KeyAlgorithm =>
  algorithm === "RSA-SHA256" ? "RSA" : "EC";
