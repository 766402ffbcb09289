// A signer over a key held in this process's memory: the organisation key loaded once from its
// PKCS#12 keystore, or a key minted for tests and the simulator. The key object never leaves
// this instance (no getter), so nothing downstream can log or copy it by accident.
import { sign, type KeyObject } from "node:crypto";
import {
  digestOf,
  keyAlgorithmOf,
  type KeyAlgorithm,
  type Signer,
  type SignatureAlgorithm,
} from "./signer.js";

export class MemorySigner implements Signer {
  readonly kind: "memory" | "pkcs12";
  readonly keyAlgorithm: KeyAlgorithm;
  readonly certificateDer: Buffer;
  #key: KeyObject | undefined;

  constructor(key: KeyObject, certificateDer: Buffer, kind: "memory" | "pkcs12" = "memory") {
    if (key.type !== "private") throw new TypeError("MemorySigner needs a private key");
    const type = key.asymmetricKeyType;
    if (type !== "rsa" && type !== "ec")
      throw new TypeError(`MemorySigner cannot sign with ${String(type)} keys`);
    this.#key = key;
    this.keyAlgorithm = type === "rsa" ? "RSA" : "EC";
    this.certificateDer = certificateDer;
    this.kind = kind;
  }

  sign(data: Buffer, algorithm: SignatureAlgorithm): Promise<Buffer> {
    const key = this.#key;
    if (key === undefined) return Promise.reject(new Error("signer is closed"));
    if (!(algorithm in ALGORITHMS) || keyAlgorithmOf(algorithm) !== this.keyAlgorithm)
      return Promise.reject(new Error(`unsupported algorithm ${String(algorithm)}`));
    const signature =
      this.keyAlgorithm === "EC"
        ? sign(digestOf(algorithm), data, { key, dsaEncoding: "ieee-p1363" })
        : sign("sha256", data, key);
    return Promise.resolve(signature);
  }

  close(): Promise<void> {
    this.#key = undefined;
    return Promise.resolve();
  }
}

const ALGORITHMS: Record<SignatureAlgorithm, true> = {
  "RSA-SHA256": true,
  "ECDSA-SHA256": true,
  "ECDSA-SHA384": true,
};
