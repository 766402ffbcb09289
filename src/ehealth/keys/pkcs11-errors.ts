// PKCS#11 return values mapped to the catalogue's codes. The mapping depends on the phase: a
// token missing while a signer is opened is an absent card; the same return value once the
// session exists means the card was pulled out. Only the CKR name and the function go into the
// error detail: never arguments (a PIN), never the native message.
import pkcs11js from "pkcs11js";
import { CodedError, type Code } from "../../errors.js";

export type Pkcs11Phase = "open" | "use";

const CKR_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(pkcs11js)
    .filter((entry): entry is [string, number] => entry[0].startsWith("CKR_") && typeof entry[1] === "number")
    .map(([name, value]) => [value, name]),
);

const TOKEN_GONE: ReadonlySet<number> = new Set([
  pkcs11js.CKR_DEVICE_REMOVED,
  pkcs11js.CKR_TOKEN_NOT_PRESENT,
  pkcs11js.CKR_TOKEN_NOT_RECOGNIZED,
  pkcs11js.CKR_SESSION_HANDLE_INVALID,
  pkcs11js.CKR_SESSION_CLOSED,
  pkcs11js.CKR_SLOT_ID_INVALID,
  // The login state of a live session only disappears when the token was reset or swapped.
  pkcs11js.CKR_USER_NOT_LOGGED_IN,
]);

const BY_RETURN_VALUE: ReadonlyMap<number, Code> = new Map<number, Code>([
  [pkcs11js.CKR_PIN_INCORRECT, "PIN_INCORRECT"],
  // A PIN of the wrong length or with forbidden characters is a wrong PIN for the pharmacist.
  [pkcs11js.CKR_PIN_INVALID, "PIN_INCORRECT"],
  [pkcs11js.CKR_PIN_LEN_RANGE, "PIN_INCORRECT"],
  [pkcs11js.CKR_PIN_LOCKED, "PIN_LOCKED"],
  // The pharmacist cancelled the entry on the reader's PIN pad.
  [pkcs11js.CKR_FUNCTION_CANCELED, "PIN_REQUIRED"],
]);

/** The CK_RV carried by a pkcs11js error (Pkcs11Error.code), if any. */
export function returnValueOf(error: unknown): number | undefined {
  if (error === null || typeof error !== "object") return undefined;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === "Pkcs11Error" && typeof code === "number" ? code : undefined;
}

export function ckrName(returnValue: number): string {
  return CKR_NAMES.get(returnValue) ?? `CKR_0x${returnValue.toString(16).padStart(8, "0")}`;
}

export function pkcs11Error(error: unknown, phase: Pkcs11Phase, method: string): CodedError {
  if (error instanceof CodedError) return error;
  const returnValue = returnValueOf(error);
  if (returnValue === undefined) {
    const kind = error instanceof Error ? error.name : typeof error;
    return new CodedError("PKCS11_FAILURE", { method, error: kind });
  }
  const detail = { method, ckr: ckrName(returnValue) };
  if (TOKEN_GONE.has(returnValue))
    return new CodedError(phase === "open" ? "CARD_ABSENT" : "CARD_REMOVED", detail);
  return new CodedError(BY_RETURN_VALUE.get(returnValue) ?? "PKCS11_FAILURE", detail);
}
