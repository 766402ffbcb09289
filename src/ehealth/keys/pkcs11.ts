// The pharmacist's eID (or any PKCS#11 token) as a Signer: the authentication key signs on the
// card (CKM_SHA256_RSA_PKCS) and never leaves it. SPEC §1.5: a PIN is tried once, never retried
// automatically (three wrong PINs lock an eID), and never logged, stored or put in an error.
import pkcs11js from "pkcs11js";
import type { Logger } from "../../log.js";
import { CodedError } from "../../errors.js";
import { pkcs11Error, returnValueOf, type Pkcs11Phase } from "./pkcs11-errors.js";
import { Pkcs11Module, type Pkcs11Api } from "./pkcs11-module.js";
import { SerialQueue } from "./serial-queue.js";
import type { SignatureAlgorithm, Signer } from "./signer.js";

/** The Belgian eID middleware labels its authentication key and certificate so. */
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
      login(api, opened, options.pin ?? "");
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
    key: { handle: Handle; certificateDer: Buffer };
    tokenLabel: string;
    loginRequired: boolean;
    pinPad: boolean;
  }) {
    this.#module = parts.module;
    this.#slot = parts.slot;
    this.#session = parts.session;
    this.#key = parts.key.handle;
    this.certificateDer = parts.key.certificateDer;
    this.tokenLabel = parts.tokenLabel;
    this.#loginRequired = parts.loginRequired;
    this.pinPad = parts.pinPad;
  }

  sign(data: Buffer, algorithm: SignatureAlgorithm): Promise<Buffer> {
    return this.#queue.run(async () => {
      if (algorithm !== "RSA-SHA256") throw new TypeError(`unsupported algorithm ${String(algorithm)}`);
      this.#assertUsable();
      const api = this.#module.api;
      try {
        api.C_SignInit(this.#session, { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS }, this.#key);
        return await api.C_SignAsync(this.#session, data, Buffer.alloc(SIGNATURE_BUFFER));
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

// C_Login is synchronous in pkcs11js (no C_LoginAsync): on a PIN-pad reader the event loop waits
// while the pharmacist types. Move the module to a worker thread if that becomes a problem.
function login(api: Pkcs11Api, session: Handle, pin: string): void {
  try {
    api.C_Login(session, pkcs11js.CKU_USER, pin);
  } catch (error) {
    // Another signer of this process already unlocked the same card (login is per token, not per
    // session): the PIN cannot be checked again, and the card holder is the same person.
    if (returnValueOf(error) === pkcs11js.CKR_USER_ALREADY_LOGGED_IN) return;
    throw pkcs11Error(error, "open", "C_Login");
  }
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
): { handle: Handle; certificateDer: Buffer } {
  const byId = keyId === undefined ? [] : [{ type: pkcs11js.CKA_ID, value: Buffer.from(keyId, "hex") }];
  const [handle] = findObjects(api, session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
    { type: pkcs11js.CKA_LABEL, value: label },
    ...byId,
  ]);
  if (handle === undefined) throw new CodedError("CARD_KEY_MISSING");
  const keyType = attribute(api, session, handle, pkcs11js.CKA_KEY_TYPE).readUIntLE(0, 4);
  // The Signer contract is RSA-SHA256 (eHealth STS); EC keys of recent eIDs would need ECDSA.
  if (keyType !== pkcs11js.CKK_RSA) throw new CodedError("PKCS11_FAILURE", { reason: "key-type-not-rsa" });
  const id = attribute(api, session, handle, pkcs11js.CKA_ID);
  const certificateClass = { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE };
  const [certificate] = [
    ...findObjects(api, session, [certificateClass, { type: pkcs11js.CKA_ID, value: id }]),
    ...findObjects(api, session, [certificateClass, { type: pkcs11js.CKA_LABEL, value: label }]),
  ];
  if (certificate === undefined) throw new CodedError("CARD_KEY_MISSING");
  return { handle, certificateDer: attribute(api, session, certificate, pkcs11js.CKA_VALUE) };
}

function ignoreFailure(call: () => void): void {
  try {
    call();
  } catch {
    // already gone: nothing to release
  }
}
