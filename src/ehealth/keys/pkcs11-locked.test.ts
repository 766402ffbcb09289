// SoftHSM never locks a PIN, so a locked eID is played by a small stand-in for pkcs11js: a token
// that answers every login with CKR_PIN_LOCKED. Only this case uses a double (the rest of the
// PKCS#11 path runs against SoftHSM in pkcs11.int.test.ts).
import pkcs11js from "pkcs11js";
import { describe, expect, it } from "vitest";
import { CodedError } from "../../errors.js";
import { Pkcs11Module, type Pkcs11Api } from "./pkcs11-module.js";
import { openPkcs11Signer } from "./pkcs11.js";

function lockedEid() {
  const calls: string[] = [];
  const slot = Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]);
  const double = {
    load: () => calls.push("load"),
    close: () => calls.push("close"),
    C_Initialize: () => calls.push("C_Initialize"),
    C_Finalize: () => calls.push("C_Finalize"),
    C_GetSlotList: () => [slot],
    C_GetTokenInfo: () => ({ label: "BELPIC".padEnd(32, " "), flags: pkcs11js.CKF_LOGIN_REQUIRED }),
    C_OpenSession: () => {
      calls.push("C_OpenSession");
      return Buffer.from([7, 0, 0, 0, 0, 0, 0, 0]);
    },
    C_CloseSession: () => calls.push("C_CloseSession"),
    C_Login: () => {
      calls.push("C_Login");
      throw new pkcs11js.Pkcs11Error(
        `CKR_PIN_LOCKED:${pkcs11js.CKR_PIN_LOCKED}`,
        pkcs11js.CKR_PIN_LOCKED,
        "C_Login",
      );
    },
  };
  return { api: double as unknown as Pkcs11Api, calls };
}

describe("a locked eID", () => {
  it("is reported as PIN_LOCKED after one login attempt, and everything opened is released", async () => {
    const { api, calls } = lockedEid();
    const path = "test-double://locked-eid";
    const module = Pkcs11Module.load(path, { api });
    const error = await openPkcs11Signer({ modulePath: path, tokenLabel: "BELPIC", pin: "1234" }).catch(
      (e: unknown) => e,
    );
    module.close();

    expect(error).toBeInstanceOf(CodedError);
    expect((error as CodedError).code).toBe("PIN_LOCKED");
    expect((error as CodedError).detail).toEqual({ method: "C_Login", ckr: "CKR_PIN_LOCKED" });
    expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain("1234");
    expect(calls).toEqual([
      "load",
      "C_Initialize",
      "C_OpenSession",
      "C_Login",
      "C_CloseSession",
      "C_Finalize",
      "close",
    ]);
  });
});
