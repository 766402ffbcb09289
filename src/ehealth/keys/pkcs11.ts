// The pharmacist's eID (or any PKCS#11 token) as a Signer: the authentication key signs on the
// card and never leaves it — RSA keys with CKM_SHA256_RSA_PKCS; EC keys (eIDs since about 2021,
// P-384) with CKM_ECDSA over a digest computed here, as the eID applet signs a hash only; its
// output is already the raw r‖s pair XML-DSig wants (PKCS#11 v2.40 curr. mech. §2.3.1). SPEC §1.5: a PIN is tried once, never retried
// automatically (three wrong PINs lock an eID), and never logged, stored or put in an error.
import { createHash } from "node:crypto";
import pkcs11js from "pkcs11js";
import type { Logger } from "../../log.js";
import { CodedError } from "../../errors.js";
import { pkcs11Error, returnValueOf, type Pkcs11Phase } from "./pkcs11-errors.js";
import { loginOffThread } from "./pkcs11-login.js";
import { Pkcs11Module, type Pkcs11Api } from "./pkcs11-module.js";
import { SerialQueue } from "./serial-queue.js";
import {
  digestOf,
  keyAlgorithmOf,
  type KeyAlgorithm,
  type SignatureAlgorithm,
  type Signer,
} from "./signer.js";

/**
 * The Belgian eID middleware labels its authentication key and certificate so. The card also
 * holds "Signature", the qualified-signature key: never used here, so keys are found by label,
 * never by position.
 */
export const EID_AUTHENTICATION_LABEL = "Authentication";

export interface Pkcs11SignerOptions {
  readonly modulePath: string;
  /** Found by label: slot numbers change when readers come and go. */
  readonly tokenLabel: string;
  /** Omitted on a reader with a PIN pad (CKF_PROTECTED_AUTHENTICATION_PATH). */
  readonly pin?: string;
  readonly keyLabel?: string;
  /** CKA_ID of the key, hexadecimal, when the label is not enough. */
  readonly keyId?: string;
  readonly log?: Logger;
}

// CK_STATE values (PKCS#11 v2.40 §5.6.1); pkcs11js does not export them.
const CKS_RO_USER_FUNCTIONS = 1;
const CKS_RW_USER_FUNCTIONS = 3;
// Room for a signature by keys up to 4096 bits.
const SIGNATURE_BUFFER = 512;

type Handle = Buffer;

export async function openPkcs11Signer(options: Pkcs11SignerOptions): Promise<Pkcs11Signer> {
  const module = Pkcs11Module.load(options.modulePath);
  const { api } = module;
  let session: Handle | undefined;
  try {
    const slot = step("open", "C_GetSlotList", () => findSlot(api, options.tokenLabel));
    const token = step("open", "C_GetTokenInfo", () => api.C_GetTokenInfo(slot));
    const loginRequired = (token.flags & pkcs11js.CKF_LOGIN_REQUIRED) !== 0;
    const pinPad = (token.flags & pkcs11js.CKF_PROTECTED_AUTHENTICATION_PATH) !== 0;
    if (loginRequired && options.pin === undefined && !pinPad) throw new CodedError("PIN_REQUIRED");
    const opened = step("open", "C_OpenSession", () => api.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION));
    session = opened;
    if (loginRequired) {
      // pkcs11js cannot pass a NULL PIN; a zero-length PIN is how PIN-pad readers are asked to
      // prompt on their own keypad (OpenSC, eID middleware).
      await login(module, slot, opened, options.pin ?? "");
    }
    options.log?.debug({ tokenLabel: options.tokenLabel, pinPad }, "pkcs11 token opened");
    const key = step("open", "C_FindObjects", () =>
      findKey(api, opened, options.keyLabel ?? EID_AUTHENTICATION_LABEL, options.keyId),
    );
    return new Pkcs11Signer({
      module,
      slot,
      session: opened,
      key,
      tokenLabel: options.tokenLabel,
      loginRequired,
      pinPad,
    });
  } catch (error) {
    if (session !== undefined) {
      const opened = session;
      ignoreFailure(() => api.C_CloseSession(opened));
    }
    module.close();
    throw error;
  }
}

export class Pkcs11Signer implements Signer {
  readonly kind = "pkcs11";
  readonly keyAlgorithm: KeyAlgorithm;
  readonly certificateDer: Buffer;
  readonly tokenLabel: string;
  /** The reader asks the PIN on its own keypad. */
  readonly pinPad: boolean;
  readonly #module: Pkcs11Module;
  readonly #slot: Handle;
  readonly #session: Handle;
  readonly #key: Handle;
  readonly #loginRequired: boolean;
  readonly #queue = new SerialQueue();
  #state: "open" | "removed" | "closed" = "open";

  /** @internal use openPkcs11Signer */
  constructor(parts: {
    module: Pkcs11Module;
    slot: Handle;
    session: Handle;
    key: { handle: Handle; certificateDer: Buffer; keyAlgorithm: KeyAlgorithm };
    tokenLabel: string;
    loginRequired: boolean;
    pinPad: boolean;
  }) {
    this.#module = parts.module;
    this.#slot = parts.slot;
    this.#session = parts.session;
    this.#key = parts.key.handle;
    this.certificateDer = parts.key.certificateDer;
    this.keyAlgorithm = parts.key.keyAlgorithm;
    this.tokenLabel = parts.tokenLabel;
    this.#loginRequired = parts.loginRequired;
    this.pinPad = parts.pinPad;
  }

  sign(data: Buffer, algorithm: SignatureAlgorithm): Promise<Buffer> {
    return this.#queue.run(async () => {
      if (keyAlgorithmOf(algorithm) !== this.keyAlgorithm)
        throw new TypeError(`unsupported algorithm ${String(algorithm)}`);
      this.#assertUsable();
      const api = this.#module.api;
      const ec = this.keyAlgorithm === "EC";
      const input = ec ? createHash(digestOf(algorithm)).update(data).digest() : data;
      try {
        const mechanism = ec ? pkcs11js.CKM_ECDSA : pkcs11js.CKM_SHA256_RSA_PKCS;
        api.C_SignInit(this.#session, { mechanism }, this.#key);
        return await api.C_SignAsync(this.#session, input, Buffer.alloc(SIGNATURE_BUFFER));
      } catch (error) {
        throw this.#failed(error, "C_Sign");
      }
    });
  }

  /** False once the card is gone, its session lost or its login state reset (polled by sessions). */
  isPresent(): Promise<boolean> {
    return this.#queue.run(() => {
      if (this.#state !== "open") return false;
      const api = this.#module.api;
      try {
        const info = api.C_GetSessionInfo(this.#session);
        const loggedIn = info.state === CKS_RO_USER_FUNCTIONS || info.state === CKS_RW_USER_FUNCTIONS;
        const present = api.C_GetSlotList(true).some((slot) => slot.equals(this.#slot));
        if (present && (loggedIn || !this.#loginRequired)) return true;
        this.#state = "removed";
        return false;
      } catch (error) {
        this.#failed(error, "C_GetSessionInfo");
        return false;
      }
    });
  }

  close(): Promise<void> {
    return this.#queue.run(() => {
      if (this.#state === "closed") return;
      const wasOpen = this.#state === "open";
      this.#state = "closed";
      // Closing the last session logs the token out (PKCS#11 §5.6); no C_Logout, which would log
      // out every other session of this process on the same card.
      if (wasOpen) ignoreFailure(() => this.#module.api.C_CloseSession(this.#session));
      this.#module.close();
    });
  }

  #assertUsable(): void {
    if (this.#state === "closed") throw new TypeError("signer is closed");
    if (this.#state === "removed") throw new CodedError("CARD_REMOVED");
  }

  #failed(error: unknown, method: string): CodedError {
    const coded = pkcs11Error(error, "use", method);
    if (coded.code === "CARD_REMOVED") this.#state = "removed";
    return coded;
  }
}

function step<T>(phase: Pkcs11Phase, method: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw pkcs11Error(error, phase, method);
  }
}

// Off the event loop for the real library (a card login takes hundreds of milliseconds, a
// PIN-pad entry as long as the pharmacist types); a substituted api (tests) logs in here.
async function login(module: Pkcs11Module, slot: Handle, session: Handle, pin: string): Promise<void> {
  const { api } = module;
  try {
    if (module.native) await loginOffThread(module.path, session, pin);
    else api.C_Login(session, pkcs11js.CKU_USER, pin);
  } catch (error) {
    // Another signer of this process already unlocked the same card (login is per token, not per
    // session): the PIN cannot be checked again, and the card holder is the same person.
    if (returnValueOf(error) === pkcs11js.CKR_USER_ALREADY_LOGGED_IN) return;
    const coded = pkcs11Error(error, "open", "C_Login");
    throw coded.code === "PIN_INCORRECT" ? withTriesLeft(api, slot, coded) : coded;
  }
}

/**
 * A wrong PIN says what the token tells of the tries left (PKCS#11 v2.40 §3.2, CK_TOKEN_INFO
 * flags): the last one (CKF_USER_PIN_FINAL_TRY), some already spent (CKF_USER_PIN_COUNT_LOW), or
 * none (CKF_USER_PIN_LOCKED, the attempt just locked it). A token that does not say: nothing.
 */
function withTriesLeft(api: Pkcs11Api, slot: Handle, coded: CodedError): CodedError {
  let flags: number;
  try {
    flags = api.C_GetTokenInfo(slot).flags;
  } catch {
    return coded;
  }
  const detail = { ...coded.detail };
  if ((flags & pkcs11js.CKF_USER_PIN_LOCKED) !== 0) return new CodedError("PIN_LOCKED", detail);
  if ((flags & pkcs11js.CKF_USER_PIN_FINAL_TRY) !== 0)
    return new CodedError("PIN_INCORRECT", { ...detail, triesLeft: 1 });
  if ((flags & pkcs11js.CKF_USER_PIN_COUNT_LOW) !== 0)
    return new CodedError("PIN_INCORRECT", { ...detail, pinCountLow: true });
  return coded;
}

function findSlot(api: Pkcs11Api, tokenLabel: string): Handle {
  for (const slot of api.C_GetSlotList(true)) {
    if (api.C_GetTokenInfo(slot).label.trimEnd() === tokenLabel) return slot;
  }
  throw new CodedError("CARD_ABSENT");
}

function findObjects(api: Pkcs11Api, session: Handle, template: pkcs11js.Template): Handle[] {
  api.C_FindObjectsInit(session, template);
  try {
    return api.C_FindObjects(session, 16);
  } finally {
    api.C_FindObjectsFinal(session);
  }
}

function attribute(api: Pkcs11Api, session: Handle, object: Handle, type: number): Buffer {
  const [result] = api.C_GetAttributeValue(session, object, [{ type }]);
  if (result === undefined) throw new CodedError("CARD_KEY_MISSING");
  return result.value;
}

function findKey(
  api: Pkcs11Api,
  session: Handle,
  label: string,
  keyId: string | undefined,
): { handle: Handle; certificateDer: Buffer; keyAlgorithm: KeyAlgorithm } {
  const byId = keyId === undefined ? [] : [{ type: pkcs11js.CKA_ID, value: Buffer.from(keyId, "hex") }];
  const [handle] = findObjects(api, session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
    { type: pkcs11js.CKA_LABEL, value: label },
    ...byId,
  ]);
  if (handle === undefined) throw new CodedError("CARD_KEY_MISSING");
  const keyType = attribute(api, session, handle, pkcs11js.CKA_KEY_TYPE).readUIntLE(0, 4);
  const keyAlgorithm: KeyAlgorithm | undefined =
    keyType === pkcs11js.CKK_RSA ? "RSA" : keyType === pkcs11js.CKK_EC ? "EC" : undefined;
  if (keyAlgorithm === undefined) throw new CodedError("PKCS11_FAILURE", { reason: "key-type-unsupported" });
  const id = attribute(api, session, handle, pkcs11js.CKA_ID);
  const certificateClass = { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE };
  const [certificate] = [
    ...findObjects(api, session, [certificateClass, { type: pkcs11js.CKA_ID, value: id }]),
    ...findObjects(api, session, [certificateClass, { type: pkcs11js.CKA_LABEL, value: label }]),
  ];
  if (certificate === undefined) throw new CodedError("CARD_KEY_MISSING");
  return { handle, keyAlgorithm, certificateDer: attribute(api, session, certificate, pkcs11js.CKA_VALUE) };
}

function ignoreFailure(call: () => void): void {
  try {
    call();
  } catch {
    // already gone: nothing to release
  }
}
