// A signer over a key held in this process's memory: the organisation key loaded once from its
// PKCS#12 keystore, or a key minted for tests and the simulator. The key object never leaves
// this instance (no getter), so nothing downstream can log or copy it by accident.
import { sign, type KeyObject } from "node:crypto";
import type { Signer, SignatureAlgorithm } from "./signer.js";

export class MemorySigner implements Signer {
  readonly kind: "memory" | "pkcs12";
  readonly certificateDer: Buffer;
  #key: KeyObject | undefined;

  constructor(key: KeyObject, certificateDer: Buffer, kind: "memory" | "pkcs12" = "memory") {
    if (key.type !== "private") throw new TypeError("MemorySigner needs a private key");
    this.#key = key;
    this.certificateDer = certificateDer;
    this.kind = kind;
  }

  sign(data: Buffer, algorithm: SignatureAlgorithm): Promise<Buffer> {
    const key = this.#key;
    if (key === undefined) return Promise.reject(new Error("signer is closed"));
    if (algorithm !== "RSA-SHA256")
      return Promise.reject(new Error(`unsupported algorithm ${String(algorithm)}`));
    return Promise.resolve(sign("sha256", data, key));
  }

  close(): Promise<void> {
    this.#key = undefined;
    return Promise.resolve();
  }
}
