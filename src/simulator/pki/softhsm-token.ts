// A SoftHSM2 token standing in for the Belgian eID: its own softhsm2.conf and token directory
// (never the system ones), key pairs generated ON the token (sensitive, never extractable, sign
// only) — EC P-384 like an eID issued since about 2021, or RSA-2048 like an older card — and
// their certificates imported beside them.
// SoftHSM reads SOFTHSM2_CONF once, at C_Initialize, and a process initialises a module only
// once; so the token work runs in a short-lived child node process with its own environment,
// which also keeps the PINs off command lines (they travel on stdin).
import { spawn } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";

export interface TokenKeySpec {
  readonly label: string;
  /** CKA_ID, hexadecimal. */
  readonly id: string;
  readonly type: "RSA" | "EC";
}

export interface TokenSpec {
  readonly module: string;
  readonly conf: string;
  readonly label: string;
  readonly pin: string;
  readonly soPin: string;
  /** Generated in this order, which is the order the token lists them in. */
  readonly keys: readonly TokenKeySpec[];
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

/** Initialises the token and generates its key pairs; returns their public keys (SPKI DER). */
export async function generateTokenKeys(spec: TokenSpec): Promise<Buffer[]> {
  const out = await runTokenChild(spec, { step: "generate" });
  return (out["spki"] as string[]).map((b64) => Buffer.from(b64, "base64"));
}

/** Imports the certificate as a CKO_CERTIFICATE object with the key's CKA_ID and label. */
export async function importTokenCertificate(
  spec: TokenSpec,
  key: TokenKeySpec,
  certificate: { der: Buffer; subject: Buffer; issuer: Buffer; serial: Buffer },
): Promise<void> {
  await runTokenChild(spec, {
    step: "certificate",
    keyLabel: key.label,
    keyId: key.id,
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
  const input = JSON.stringify({ ...spec, ...step, keys: spec.keys, pkcs11js });
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
    // The child prints only the PKCS#11 error name and step, never its input; one line.
    const reason = Buffer.concat(stderr).toString().trim().split("\n")[0];
    throw new Error(`SoftHSM token setup (${step["step"]}) failed: ${reason}`);
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
let initialised = false;
const labelOf = (slot) => p.C_GetTokenInfo(slot).label.trim();
const slotFor = (label) => {
  const slot = p.C_GetSlotList(true).find((s) => labelOf(s) === label);
  if (!slot) throw new Error("token not found after initialisation");
  return slot;
};
// DER of the secp384r1 OID (RFC 5480 §2.1.1.1), CKA_EC_PARAMS of a P-384 key.
const P384 = Buffer.from("06052b81040022", "hex");
const generate = (session, key) => {
  const common = [
    { type: P.CKA_TOKEN, value: true },
    { type: P.CKA_LABEL, value: key.label },
    { type: P.CKA_ID, value: Buffer.from(key.id, "hex") },
    { type: P.CKA_KEY_TYPE, value: key.type === "EC" ? P.CKK_EC : P.CKK_RSA },
  ];
  const publicOnly = key.type === "EC"
    ? [{ type: P.CKA_EC_PARAMS, value: P384 }]
    : [
        { type: P.CKA_ENCRYPT, value: false },
        { type: P.CKA_WRAP, value: false },
        { type: P.CKA_MODULUS_BITS, value: 2048 },
        { type: P.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
      ];
  const privateOnly = key.type === "EC" ? [] : [
    { type: P.CKA_DECRYPT, value: false },
    { type: P.CKA_UNWRAP, value: false },
  ];
  const mechanism = key.type === "EC" ? P.CKM_EC_KEY_PAIR_GEN : P.CKM_RSA_PKCS_KEY_PAIR_GEN;
  const keys = p.C_GenerateKeyPair(session, { mechanism }, [
    ...common,
    { type: P.CKA_CLASS, value: P.CKO_PUBLIC_KEY },
    { type: P.CKA_PRIVATE, value: false },
    { type: P.CKA_VERIFY, value: true },
    ...publicOnly,
  ], [
    ...common,
    { type: P.CKA_CLASS, value: P.CKO_PRIVATE_KEY },
    { type: P.CKA_PRIVATE, value: true },
    { type: P.CKA_SENSITIVE, value: true },
    { type: P.CKA_EXTRACTABLE, value: false },
    { type: P.CKA_SIGN, value: true },
    ...privateOnly,
  ]);
  let jwk;
  if (key.type === "EC") {
    // CKA_EC_POINT: a DER OCTET STRING around the uncompressed point 04‖x‖y.
    const [point] = p.C_GetAttributeValue(session, keys.publicKey, [{ type: P.CKA_EC_POINT }]);
    const raw = point.value.subarray(point.value.length - 97);
    jwk = { kty: "EC", crv: "P-384", x: raw.subarray(1, 49).toString("base64url"), y: raw.subarray(49).toString("base64url") };
  } else {
    const [n, e] = p.C_GetAttributeValue(session, keys.publicKey, [
      { type: P.CKA_MODULUS },
      { type: P.CKA_PUBLIC_EXPONENT },
    ]).map((a) => a.value.toString("base64url"));
    jwk = { kty: "RSA", n, e };
  }
  return crypto.createPublicKey({ key: jwk, format: "jwk" }).export({ type: "spki", format: "der" }).toString("base64");
};
try {
  p.load(input.module);
  p.C_Initialize();
  initialised = true;
  let out = {};
  if (input.step === "generate") {
    const free = p.C_GetSlotList(true).find((s) => (p.C_GetTokenInfo(s).flags & P.CKF_TOKEN_INITIALIZED) === 0);
    if (!free) throw new Error("no free SoftHSM slot");
    p.C_InitToken(free, input.soPin, input.label.padEnd(32, " "));
    const session = p.C_OpenSession(slotFor(input.label), P.CKF_SERIAL_SESSION | P.CKF_RW_SESSION);
    p.C_Login(session, P.CKU_SO, input.soPin);
    p.C_InitPIN(session, input.pin);
    p.C_Logout(session);
    p.C_Login(session, P.CKU_USER, input.pin);
    out = { spki: input.keys.map((key) => generate(session, key)) };
  } else {
    const session = p.C_OpenSession(slotFor(input.label), P.CKF_SERIAL_SESSION | P.CKF_RW_SESSION);
    p.C_Login(session, P.CKU_USER, input.pin);
    p.C_CreateObject(session, [
      { type: P.CKA_CLASS, value: P.CKO_CERTIFICATE },
      { type: P.CKA_CERTIFICATE_TYPE, value: P.CKC_X_509 },
      { type: P.CKA_TOKEN, value: true },
      { type: P.CKA_PRIVATE, value: false },
      { type: P.CKA_LABEL, value: input.keyLabel },
      { type: P.CKA_ID, value: Buffer.from(input.keyId, "hex") },
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
  if (initialised) p.C_Finalize();
}
`;
