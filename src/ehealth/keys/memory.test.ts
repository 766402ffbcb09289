import { generateKeyPairSync, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MemorySigner } from "./memory.js";

describe("MemorySigner", () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const cert = Buffer.from("certificate");

  it("signs RSA-SHA256 (PKCS#1 v1.5) and reports its kind", async () => {
    const signer = new MemorySigner(privateKey, cert, "pkcs12");
    const data = Buffer.from("<ds:SignedInfo/>");
    const signature = await signer.sign(data, "RSA-SHA256");
    expect(verify("sha256", data, publicKey, signature)).toBe(true);
    expect(signer.kind).toBe("pkcs12");
    expect(new MemorySigner(privateKey, cert).kind).toBe("memory");
    expect(signer.certificateDer).toBe(cert);
  });

  it("refuses a public key, other algorithms, and signing after close", async () => {
    expect(() => new MemorySigner(publicKey, cert)).toThrow(TypeError);
    const signer = new MemorySigner(privateKey, cert);
    await expect(signer.sign(Buffer.from("x"), "RSA-SHA1" as "RSA-SHA256")).rejects.toThrow();
    await signer.close();
    await expect(signer.sign(Buffer.from("x"), "RSA-SHA256")).rejects.toThrow("closed");
  });

  it("does not expose the key through enumeration or JSON", () => {
    const signer = new MemorySigner(privateKey, cert);
    expect(Object.keys(signer)).not.toContain("key");
    expect(JSON.stringify(signer)).not.toContain("PRIVATE");
  });
});
