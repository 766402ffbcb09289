// A SoftHSM2 token standing in for the Belgian eID: its own softhsm2.conf and token directory
// (never the system ones), an RSA-2048 "Authentication" key pair generated ON the token
// (sensitive, never extractable, sign only) and the certificate imported beside it.
// SoftHSM reads SOFTHSM2_CONF once, at C_Initialize, and a process initialises a module only
// once; so the token work runs in a short-lived child node process with its own environment,
// which also keeps the PINs off command lines (they travel on stdin).
import { spawn } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";

export interface TokenSpec {
  readonly module: string;
  readonly conf: string;
  readonly label: string;
  readonly pin: string;
  readonly soPin: string;
  readonly keyLabel: string;
  /** CKA_ID, hexadecimal. */
  readonly keyId: string;
}

/** Writes a private softhsm2.conf and an empty token directory under `dir`. */
export async function prepareSoftHsm(dir: string): Promise<string> {
  const tokens = join(dir, "tokens");
  await rm(tokens, { recursive: true, force: true });
  await mkdir(tokens, { recursive: true });
  const conf = join(dir, "softhsm2.conf");
  await writeFile(
    conf,
    `# Test eID for mcn-rights (generated; not the system SoftHSM configuration)\n` +
      `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
  );
  return conf;
}

/** Initialises the token and generates the key pair on it; returns the public key (SPKI DER). */
export async function generateTokenKey(spec: TokenSpec): Promise<Buffer> {
  const out = await runTokenChild(spec, { step: "generate" });
  return Buffer.from(String(out["spki"]), "base64");
}

/** Imports the certificate as a CKO_CERTIFICATE object with the key's CKA_ID and label. */
export async function importTokenCertificate(
  spec: TokenSpec,
  certificate: { der: Buffer; subject: Buffer; issuer: Buffer; serial: Buffer },
): Promise<void> {
  await runTokenChild(spec, {
    step: "certificate",
    der: certificate.der.toString("base64"),
    subject: certificate.subject.toString("base64"),
    issuer: certificate.issuer.toString("base64"),
    serial: certificate.serial.toString("base64"),
  });
}

async function runTokenChild(
  spec: TokenSpec,
  step: Record<string, string>,
): Promise<Record<string, unknown>> {
  const pkcs11js = createRequire(import.meta.url).resolve("pkcs11js");
  const input = JSON.stringify({ ...spec, ...step, pkcs11js });
  const child = spawn(process.execPath, ["-e", TOKEN_CHILD], {
    env: { ...process.env, SOFTHSM2_CONF: spec.conf },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  child.stdin.end(input);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  if (code !== 0) {
    // The child prints only the PKCS#11 error name and step, never its input.
    throw new Error(
      `SoftHSM token setup (${step["step"]}) failed: ${Buffer.concat(stderr).toString().trim()}`,
    );
  }
  return JSON.parse(Buffer.concat(stdout).toString()) as Record<string, unknown>;
}

// Plain CommonJS run by `node -e`: the TypeScript sources are not runnable by a bare node child.
const TOKEN_CHILD = String.raw`
"use strict";
const input = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
const crypto = require("node:crypto");
const P = require(input.pkcs11js);
const p = new P.PKCS11();
p.load(input.module);
p.C_Initialize();
const labelOf = (slot) => p.C_GetTokenInfo(slot).label.trim();
const slotFor = (label) => {
  const slot = p.C_GetSlotList(true).find((s) => labelOf(s) === label);
  if (!slot) throw new Error("token not found after initialisation");
  return slot;
};
try {
  let out = {};
  const id = Buffer.from(input.keyId, "hex");
  if (input.step === "generate") {
    const free = p.C_GetSlotList(true).find((s) => (p.C_GetTokenInfo(s).flags & P.CKF_TOKEN_INITIALIZED) === 0);
    if (!free) throw new Error("no free SoftHSM slot");
    p.C_InitToken(free, input.soPin, input.label.padEnd(32, " "));
    const session = p.C_OpenSession(slotFor(input.label), P.CKF_SERIAL_SESSION | P.CKF_RW_SESSION);
    p.C_Login(session, P.CKU_SO, input.soPin);
    p.C_InitPIN(session, input.pin);
    p.C_Logout(session);
    p.C_Login(session, P.CKU_USER, input.pin);
    const common = [
      { type: P.CKA_TOKEN, value: true },
      { type: P.CKA_LABEL, value: input.keyLabel },
      { type: P.CKA_ID, value: id },
      { type: P.CKA_KEY_TYPE, value: P.CKK_RSA },
    ];
    const keys = p.C_GenerateKeyPair(session, { mechanism: P.CKM_RSA_PKCS_KEY_PAIR_GEN }, [
      ...common,
      { type: P.CKA_CLASS, value: P.CKO_PUBLIC_KEY },
      { type: P.CKA_PRIVATE, value: false },
      { type: P.CKA_VERIFY, value: true },
      { type: P.CKA_ENCRYPT, value: false },
      { type: P.CKA_WRAP, value: false },
      { type: P.CKA_MODULUS_BITS, value: 2048 },
      { type: P.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
    ], [
      ...common,
      { type: P.CKA_CLASS, value: P.CKO_PRIVATE_KEY },
      { type: P.CKA_PRIVATE, value: true },
      { type: P.CKA_SENSITIVE, value: true },
      { type: P.CKA_EXTRACTABLE, value: false },
      { type: P.CKA_SIGN, value: true },
      { type: P.CKA_DECRYPT, value: false },
      { type: P.CKA_UNWRAP, value: false },
    ]);
    const [n, e] = p.C_GetAttributeValue(session, keys.publicKey, [
      { type: P.CKA_MODULUS },
      { type: P.CKA_PUBLIC_EXPONENT },
    ]).map((a) => a.value.toString("base64url"));
    const spki = crypto.createPublicKey({ key: { kty: "RSA", n, e }, format: "jwk" }).export({ type: "spki", format: "der" });
    out = { spki: spki.toString("base64") };
  } else {
    const session = p.C_OpenSession(slotFor(input.label), P.CKF_SERIAL_SESSION | P.CKF_RW_SESSION);
    p.C_Login(session, P.CKU_USER, input.pin);
    p.C_CreateObject(session, [
      { type: P.CKA_CLASS, value: P.CKO_CERTIFICATE },
      { type: P.CKA_CERTIFICATE_TYPE, value: P.CKC_X_509 },
      { type: P.CKA_TOKEN, value: true },
      { type: P.CKA_PRIVATE, value: false },
      { type: P.CKA_LABEL, value: input.keyLabel },
      { type: P.CKA_ID, value: id },
      { type: P.CKA_SUBJECT, value: Buffer.from(input.subject, "base64") },
      { type: P.CKA_ISSUER, value: Buffer.from(input.issuer, "base64") },
      { type: P.CKA_SERIAL_NUMBER, value: Buffer.from(input.serial, "base64") },
      { type: P.CKA_VALUE, value: Buffer.from(input.der, "base64") },
    ]);
  }
  process.stdout.write(JSON.stringify(out));
} catch (error) {
  process.stderr.write(String(error && error.message));
  process.exitCode = 1;
} finally {
  p.C_Finalize();
}
`;
