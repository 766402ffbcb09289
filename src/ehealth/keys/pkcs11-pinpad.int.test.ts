// The eID in a reader with a PIN pad: a real PKCS#11 module (tests/support/pinpad-shim, C) in
// front of the test PKI's SoftHSM token, which reports CKF_PROTECTED_AUTHENTICATION_PATH and,
// asked to log in without a PIN, waits while "the pharmacist types" before logging in. The login
// runs on a worker thread (SPEC §1.5, issue 15): the process keeps serving meanwhile.
import { X509Certificate, verify } from "node:crypto";
import pkcs11js from "pkcs11js";
import { afterEach, describe, expect, it } from "vitest";
import { pinpadReader } from "../../../tests/support/pinpad.js";
import { testPki } from "../../../tests/support/pki.js";
import { CodedError } from "../../errors.js";
import { openPkcs11Signer, type Pkcs11Signer } from "./pkcs11.js";

const pki = testPki(); // also points SOFTHSM2_CONF at the test tokens
const TYPING_MS = 1500;
const reader = pinpadReader(pki.eid, { typingMs: TYPING_MS });
const card = { modulePath: reader.module, tokenLabel: pki.eid.tokenLabel };
const DATA = Buffer.from("<ds:SignedInfo>pinpad</ds:SignedInfo>");

const opened: Pkcs11Signer[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((signer) => signer.close()));
  pinpadReader(pki.eid, { typingMs: TYPING_MS });
});

/** Opens the card without a PIN, counting the turns of this thread's event loop meanwhile. */
async function openOnKeypad(): Promise<{ signer: Pkcs11Signer; ticksWhileTyping: number }> {
  let ticks = 0;
  const timer = setInterval(() => (ticks += 1), 10);
  try {
    const signer = await openPkcs11Signer(card);
    opened.push(signer);
    return { signer, ticksWhileTyping: ticks };
  } finally {
    clearInterval(timer);
  }
}

describe("an eID in a PIN-pad reader", () => {
  it("logs in on the keypad without a PIN and signs; the event loop keeps turning while the PIN is typed", async () => {
    const { signer, ticksWhileTyping } = await openOnKeypad();
    expect(signer.pinPad).toBe(true);
    // A login on this thread would hold the loop for the whole entry: no tick at all.
    expect(ticksWhileTyping).toBeGreaterThan(0);

    const signature = await signer.sign(DATA, "ECDSA-SHA256");
    const publicKey = new X509Certificate(pki.eid.certPem).publicKey;
    expect(signer.certificateDer.equals(new X509Certificate(pki.eid.certPem).raw)).toBe(true);
    expect(verify("sha256", DATA, { key: publicKey, dsaEncoding: "ieee-p1363" }, signature)).toBe(true);
    expect(
      verify("sha256", Buffer.from("other"), { key: publicKey, dsaEncoding: "ieee-p1363" }, signature),
    ).toBe(false);
  });

  it("opens a second signer on a card already unlocked by the first (CKR_USER_ALREADY_LOGGED_IN from the worker)", async () => {
    const first = await openOnKeypad();
    const second = await openOnKeypad();
    const publicKey = new X509Certificate(pki.eid.certPem).publicKey;
    for (const { signer } of [first, second]) {
      const signature = await signer.sign(DATA, "ECDSA-SHA256");
      expect(verify("sha256", DATA, { key: publicKey, dsaEncoding: "ieee-p1363" }, signature)).toBe(true);
    }
  });

  it("says PIN_REQUIRED when the entry is cancelled on the reader (CKR_FUNCTION_CANCELED), and releases the session", async () => {
    reader.leave();
    const error = await openPkcs11Signer(card).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodedError);
    expect((error as CodedError).code).toBe("PIN_REQUIRED");
    expect((error as CodedError).detail).toEqual({ method: "C_Login", ckr: "CKR_FUNCTION_CANCELED" });
    pinpadReader(pki.eid);
    const { signer } = await openOnKeypad();
    expect(await signer.isPresent()).toBe(true);
  });

  it("says PIN_LOCKED when the card on the reader is locked (CKR_PIN_LOCKED from the worker)", async () => {
    pinpadReader(pki.eid, { refuse: pkcs11js.CKR_PIN_LOCKED });
    const error = await openPkcs11Signer(card).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodedError);
    expect((error as CodedError).code).toBe("PIN_LOCKED");
    expect((error as CodedError).detail).toEqual({ method: "C_Login", ckr: "CKR_PIN_LOCKED" });
  });

  it("a wrong PIN given with the open goes to the card as is: PIN_INCORRECT, tries counted, never the PIN", async () => {
    const wrong = "86420";
    const error = await openPkcs11Signer({ ...card, pin: wrong }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodedError);
    expect((error as CodedError).code).toBe("PIN_INCORRECT");
    expect((error as CodedError).detail).toEqual({
      method: "C_Login",
      ckr: "CKR_PIN_INCORRECT",
      pinCountLow: true,
    });
    expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain(wrong);
  });
});
