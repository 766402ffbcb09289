import pkcs11js from "pkcs11js";
import { describe, expect, it } from "vitest";
import { CodedError } from "../../errors.js";
import { ckrName, pkcs11Error, returnValueOf } from "./pkcs11-errors.js";

const failure = (returnValue: number) =>
  new pkcs11js.Pkcs11Error(`${ckrName(returnValue)}:${returnValue}`, returnValue, "C_Something");

describe("pkcs11Error", () => {
  it.each([
    [pkcs11js.CKR_PIN_INCORRECT, "PIN_INCORRECT"],
    [pkcs11js.CKR_PIN_LEN_RANGE, "PIN_INCORRECT"],
    [pkcs11js.CKR_PIN_INVALID, "PIN_INCORRECT"],
    [pkcs11js.CKR_PIN_LOCKED, "PIN_LOCKED"],
    [pkcs11js.CKR_FUNCTION_CANCELED, "PIN_REQUIRED"],
    [pkcs11js.CKR_DEVICE_ERROR, "PKCS11_FAILURE"],
    [pkcs11js.CKR_GENERAL_ERROR, "PKCS11_FAILURE"],
  ])("maps %i the same way in every phase", (returnValue, code) => {
    expect(pkcs11Error(failure(returnValue), "open", "C_Login").code).toBe(code);
    expect(pkcs11Error(failure(returnValue), "use", "C_Login").code).toBe(code);
  });

  it.each([
    pkcs11js.CKR_DEVICE_REMOVED,
    pkcs11js.CKR_TOKEN_NOT_PRESENT,
    pkcs11js.CKR_SESSION_HANDLE_INVALID,
    pkcs11js.CKR_SESSION_CLOSED,
    pkcs11js.CKR_USER_NOT_LOGGED_IN,
  ])("reads %i as an absent card while opening and a removed card in use", (returnValue) => {
    expect(pkcs11Error(failure(returnValue), "open", "C_OpenSession").code).toBe("CARD_ABSENT");
    expect(pkcs11Error(failure(returnValue), "use", "C_Sign").code).toBe("CARD_REMOVED");
  });

  it("keeps only the function and the CKR name as detail", () => {
    const error = pkcs11Error(failure(pkcs11js.CKR_DEVICE_REMOVED), "use", "C_Sign");
    expect(error.detail).toEqual({ method: "C_Sign", ckr: "CKR_DEVICE_REMOVED" });
  });

  it("passes coded errors through and reports anything else as PKCS11_FAILURE", () => {
    const coded = new CodedError("CARD_ABSENT");
    expect(pkcs11Error(coded, "open", "C_GetSlotList")).toBe(coded);
    const other = pkcs11Error(new TypeError("Argument 2 has wrong type"), "use", "C_Sign");
    expect(other.code).toBe("PKCS11_FAILURE");
    expect(other.detail).toEqual({ method: "C_Sign", error: "TypeError" });
  });
});

describe("returnValueOf and ckrName", () => {
  it("read the CK_RV of pkcs11js errors only", () => {
    expect(returnValueOf(failure(pkcs11js.CKR_PIN_LOCKED))).toBe(pkcs11js.CKR_PIN_LOCKED);
    expect(returnValueOf(Object.assign(new Error("x"), { code: 5 }))).toBeUndefined();
    expect(returnValueOf("CKR_PIN_LOCKED")).toBeUndefined();
    expect(ckrName(pkcs11js.CKR_PIN_LOCKED)).toBe("CKR_PIN_LOCKED");
    expect(ckrName(0x8000_1234)).toBe("CKR_0x80001234");
  });
});
