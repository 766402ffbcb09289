// The eID path against a real SoftHSM2 token (the test PKI's older, RSA card "mcn-eid-rsa"): the
// key signs on the token, node verifies; PIN handling, an absent card and a card pulled out while
// in use. The recent EC card: pkcs11-ec.int.test.ts.
import { X509Certificate, verify } from "node:crypto";
import { Writable } from "node:stream";
import { inspect } from "node:util";
import pkcs11js from "pkcs11js";
import { afterEach, describe, expect, it } from "vitest";
import { testPki } from "../../../tests/support/pki.js";
import { CodedError } from "../../errors.js";
import { createLogger } from "../../log.js";
import { describeCertificate } from "./certificate.js";
import { ckrName, returnValueOf } from "./pkcs11-errors.js";
import { Pkcs11Module, type Pkcs11Api } from "./pkcs11-module.js";
import { openPkcs11Signer, type Pkcs11Signer } from "./pkcs11.js";

const pki = testPki(); // also points SOFTHSM2_CONF at the test token
const token = { modulePath: pki.eidRsa.module, tokenLabel: pki.eidRsa.tokenLabel };
const DATA = Buffer.from("<wsu:Timestamp>2025-03-10T08:00:00Z</wsu:Timestamp>");

const opened: Pkcs11Signer[] = [];
async function open(
  options: { pin?: string; keyLabel?: string; log?: ReturnType<typeof createLogger> } = {},
) {
  const signer = await openPkcs11Signer({ ...token, pin: pki.eidRsa.pin, ...options });
  opened.push(signer);
  return signer;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((signer) => signer.close()));
});

async function failure(promise: Promise<unknown>): Promise<CodedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CodedError);
  return error as CodedError;
}

/** Log lines of a real logger, kept in memory. */
function capturedLog() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: createLogger({ level: "trace", destination }), lines };
}

/** The real pkcs11js, with a count of each function called (a spy, not a double). */
function countingApi(): { api: Pkcs11Api; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const real = new pkcs11js.PKCS11();
  const api = new Proxy(real, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== "function" || typeof property !== "string") return value;
      return (...args: unknown[]) => {
        calls.set(property, (calls.get(property) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { api, calls };
}

/** Another application's handle on the same library: what a pulled card does to our session. */
function closeAllSessionsOnTestToken(): void {
  const other = new pkcs11js.PKCS11();
  other.load(pki.eidRsa.module);
  try {
    other.C_Initialize();
  } catch {
    // already initialised by the signer's module in this process: the state is shared
  }
  const slot = other
    .C_GetSlotList(true)
    .find((s) => other.C_GetTokenInfo(s).label.trimEnd() === pki.eidRsa.tokenLabel);
  if (slot === undefined) throw new Error("test token not found");
  other.C_CloseAllSessions(slot);
  other.close();
}

describe("openPkcs11Signer on the SoftHSM eID", () => {
  it("signs on the token with the authentication key; node verifies against the token's certificate", async () => {
    const signer = await open();
    expect(signer.kind).toBe("pkcs11");
    expect(signer.certificateDer.equals(new X509Certificate(pki.eidRsa.certPem).raw)).toBe(true);
    expect(describeCertificate(signer.certificateDer).ssin).toBe(pki.eidRsa.ssin);

    const signature = await signer.sign(DATA, "RSA-SHA256");
    const certificate = new X509Certificate(signer.certificateDer);
    expect(signature).toHaveLength(256);
    expect(verify("sha256", DATA, certificate.publicKey, signature)).toBe(true);
    expect(verify("sha256", Buffer.from("something else"), certificate.publicKey, signature)).toBe(false);
  });

  it("serialises concurrent signatures on its one session", async () => {
    const signer = await open();
    const inputs = Array.from({ length: 5 }, (_, i) => Buffer.from(`message ${i}`));
    const signatures = await Promise.all(inputs.map((input) => signer.sign(input, "RSA-SHA256")));
    const publicKey = new X509Certificate(signer.certificateDer).publicKey;
    signatures.forEach((signature, i) =>
      expect(verify("sha256", inputs[i]!, publicKey, signature)).toBe(true),
    );
  });

  it("keeps the private key on the token: sensitive, never extractable, its private parts unreadable", async () => {
    await open(); // logs the token in; every session of the process shares the login
    const module = Pkcs11Module.load(pki.eidRsa.module);
    const { api } = module;
    const slot = api
      .C_GetSlotList(true)
      .find((s) => api.C_GetTokenInfo(s).label.trimEnd() === pki.eidRsa.tokenLabel);
    const session = api.C_OpenSession(slot!, pkcs11js.CKF_SERIAL_SESSION);
    try {
      api.C_FindObjectsInit(session, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
        { type: pkcs11js.CKA_LABEL, value: pki.eidRsa.keyLabel },
      ]);
      const [key] = api.C_FindObjects(session, 2);
      api.C_FindObjectsFinal(session);
      expect(key).toBeDefined();
      const flags = api
        .C_GetAttributeValue(session, key!, [
          { type: pkcs11js.CKA_SENSITIVE },
          { type: pkcs11js.CKA_EXTRACTABLE },
          { type: pkcs11js.CKA_NEVER_EXTRACTABLE },
          { type: pkcs11js.CKA_SIGN },
          { type: pkcs11js.CKA_DECRYPT },
          { type: pkcs11js.CKA_ID },
        ])
        .map((attribute) => attribute.value.toString("hex"));
      expect(flags).toEqual(["01", "00", "01", "01", "00", pki.eidRsa.keyId]);
      const refusal = (type: number): string => {
        try {
          api.C_GetAttributeValue(session, key!, [{ type }]);
          return "readable";
        } catch (error) {
          return ckrName(returnValueOf(error) ?? 0);
        }
      };
      expect(refusal(pkcs11js.CKA_PRIVATE_EXPONENT)).toBe("CKR_ATTRIBUTE_SENSITIVE");
      expect(refusal(pkcs11js.CKA_PRIME_1)).toBe("CKR_ATTRIBUTE_SENSITIVE");
      expect(refusal(pkcs11js.CKA_VALUE)).not.toBe("readable");
    } finally {
      api.C_CloseSession(session);
      module.close();
    }
  });

  it("reports a wrong PIN as PIN_INCORRECT after one single try, and the PIN appears nowhere", async () => {
    const wrongPin = "97531";
    const { api, calls } = countingApi();
    const module = Pkcs11Module.load(pki.eidRsa.module, { api });
    const { log, lines } = capturedLog();
    try {
      const error = await failure(openPkcs11Signer({ ...token, pin: wrongPin, log }));
      expect(error.code).toBe("PIN_INCORRECT");
      // SoftHSM, like an eID, flags the token once a try is spent (CKF_USER_PIN_COUNT_LOW).
      expect(error.detail).toEqual({ method: "C_Login", ckr: "CKR_PIN_INCORRECT", pinCountLow: true });
      expect(calls.get("C_Login")).toBe(1);
      expect(calls.get("C_CloseSession")).toBe(1); // the session opened for the attempt is released
      log.error({ err: error }, "eID session refused");
      const everything = [
        error.message,
        error.stack ?? "",
        JSON.stringify(error),
        inspect(error, { depth: 10, showHidden: true }),
        ...lines,
      ].join("\n");
      expect(lines.length).toBeGreaterThan(0);
      expect(everything).not.toContain(wrongPin);
    } finally {
      module.close();
    }
  });

  it("gives the same PIN_INCORRECT when the real library logs in on its worker thread", async () => {
    const wrongPin = "86429";
    const { log, lines } = capturedLog();
    const error = await failure(openPkcs11Signer({ ...token, pin: wrongPin, log }));
    expect(error.code).toBe("PIN_INCORRECT");
    expect(error.detail).toEqual({ method: "C_Login", ckr: "CKR_PIN_INCORRECT", pinCountLow: true });
    const everything = [error.stack ?? "", inspect(error, { depth: 10, showHidden: true }), ...lines];
    expect(everything.join("\n")).not.toContain(wrongPin);
    // Nothing was left half-open: the right PIN then opens the card.
    const signer = await open();
    expect(await signer.isPresent()).toBe(true);
  });

  it("never logs the right PIN either", async () => {
    const { log, lines } = capturedLog();
    const signer = await open({ log });
    await signer.sign(DATA, "RSA-SHA256");
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("\n")).not.toContain(pki.eidRsa.pin);
  });

  it("asks for a PIN (PIN_REQUIRED) without trying to log in when the reader has no PIN pad", async () => {
    const { api, calls } = countingApi();
    const module = Pkcs11Module.load(pki.eidRsa.module, { api });
    try {
      const error = await failure(openPkcs11Signer(token));
      expect(error.code).toBe("PIN_REQUIRED");
      expect(calls.get("C_Login") ?? 0).toBe(0);
    } finally {
      module.close();
    }
  });

  it("reports CARD_ABSENT when no token carries the label", async () => {
    const error = await failure(
      openPkcs11Signer({ ...token, tokenLabel: "no-such-eid", pin: pki.eidRsa.pin }),
    );
    expect(error.code).toBe("CARD_ABSENT");
  });

  it("reports CARD_KEY_MISSING when the token has no such key", async () => {
    // (The test eIDs hold "Signature" like a real one; no eID has an encryption key.)
    const error = await failure(open({ keyLabel: "Encryption" }));
    expect(error.code).toBe("CARD_KEY_MISSING");
  });

  it("reports PKCS11_MODULE when the library cannot be loaded", async () => {
    const error = await failure(openPkcs11Signer({ ...token, modulePath: "/nonexistent/libbeidpkcs11.so" }));
    expect(error.code).toBe("PKCS11_MODULE");
  });

  it("notices a card pulled out: isPresent turns false and signing fails with CARD_REMOVED", async () => {
    const signer = await open();
    expect(await signer.isPresent()).toBe(true);
    closeAllSessionsOnTestToken();
    expect(await signer.isPresent()).toBe(false);
    expect((await failure(signer.sign(DATA, "RSA-SHA256"))).code).toBe("CARD_REMOVED");
  });

  it("maps a session lost in the middle of use to CARD_REMOVED on the next signature", async () => {
    const signer = await open();
    await signer.sign(DATA, "RSA-SHA256");
    closeAllSessionsOnTestToken();
    const error = await failure(signer.sign(DATA, "RSA-SHA256"));
    expect(error.code).toBe("CARD_REMOVED");
    expect(error.detail).toMatchObject({ ckr: "CKR_SESSION_HANDLE_INVALID" });
    // A new signer on the reinserted card works again.
    const again = await open();
    expect(await again.isPresent()).toBe(true);
  });

  it("shares one module between signers and finalises it after the last one closes", async () => {
    const { api, calls } = countingApi();
    const module = Pkcs11Module.load(pki.eidRsa.module, { api });
    const first = await openPkcs11Signer({ ...token, pin: pki.eidRsa.pin });
    const second = await openPkcs11Signer({ ...token, pin: pki.eidRsa.pin });
    module.close();
    await first.close();
    await first.close(); // twice is harmless
    expect(calls.get("C_Finalize") ?? 0).toBe(0);
    const signature = await second.sign(DATA, "RSA-SHA256");
    expect(verify("sha256", DATA, new X509Certificate(second.certificateDer).publicKey, signature)).toBe(
      true,
    );
    await second.close();
    expect(calls.get("C_Initialize")).toBe(1);
    expect(calls.get("C_Finalize")).toBe(1);
    await expect(first.sign(DATA, "RSA-SHA256")).rejects.toThrow("signer is closed");
    expect(await first.isPresent()).toBe(false);
  });
});
