// A signer holds one private key and its certificate; the key may never leave where it lives
// (an eID or SoftHSM token through PKCS#11, or a PKCS#12 keystore loaded once at start).

export type SignatureAlgorithm = "RSA-SHA256";

export interface Signer {
  /** Which kind of credential this is, for messages and audit (never the key itself). */
  readonly kind: "pkcs11" | "pkcs12" | "memory";
  /** DER bytes of the signing certificate. */
  readonly certificateDer: Buffer;
  /** Signs the bytes (the signer computes the digest). */
  sign(data: Buffer, algorithm: SignatureAlgorithm): Promise<Buffer>;
  /** Releases the token session, if any. */
  close(): Promise<void>;
}
