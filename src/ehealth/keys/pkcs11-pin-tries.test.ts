// SoftHSM does not count PIN tries in its token flags, so a card that does (the Belgian eID: three
// tries) is played by a small stand-in for pkcs11js. After a wrong PIN the flags say how many are
// left; the daemon reports it and never tries again.
import pkcs11js from "pkcs11js";
import { describe, expect, it } from "vitest";
import { CodedError } from "../../errors.js";
import { Pkcs11Module, type Pkcs11Api } from "./pkcs11-module.js";
import { openPkcs11Signer } from "./pkcs11.js";

/** A card whose token flags, after a failed login, are `after`. */
function eidWithFlags(after: number) {
  let logins = 0;
  const slot = Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]);
  const double = {
    load: () => undefined,
    close: () => undefined,
    C_Initialize: () => undefined,
    C_Finalize: () => undefined,
    C_GetSlotList: () => [slot],
    C_GetTokenInfo: () => ({
      label: "BELPIC".padEnd(32, " "),
      flags: pkcs11js.CKF_LOGIN_REQUIRED | (logins > 0 ? after : 0),
    }),
    C_OpenSession: () => Buffer.from([7, 0, 0, 0, 0, 0, 0, 0]),
    C_CloseSession: () => undefined,
    C_Login: () => {
      logins += 1;
      const rv = pkcs11js.CKR_PIN_INCORRECT;
      throw new pkcs11js.Pkcs11Error(`CKR_PIN_INCORRECT:${rv}`, rv, "C_Login");
    },
  };
  return { api: double as unknown as Pkcs11Api, logins: () => logins };
}

async function openWith(after: number, path: string) {
  const card = eidWithFlags(after);
  const module = Pkcs11Module.load(path, { api: card.api });
  const error = await openPkcs11Signer({ modulePath: path, tokenLabel: "BELPIC", pin: "1234" }).catch(
    (e: unknown) => e,
  );
  module.close();
  expect(error).toBeInstanceOf(CodedError);
  expect(card.logins()).toBe(1); // never retried
  return error as CodedError;
}

describe("a wrong PIN on a card that counts its tries", () => {
  it("says when the next try is the last", async () => {
    const error = await openWith(pkcs11js.CKF_USER_PIN_FINAL_TRY, "test-double://final-try");
    expect(error.code).toBe("PIN_INCORRECT");
    expect(error.detail).toEqual({ method: "C_Login", ckr: "CKR_PIN_INCORRECT", triesLeft: 1 });
  });

  it("says when tries have been spent already", async () => {
    const error = await openWith(pkcs11js.CKF_USER_PIN_COUNT_LOW, "test-double://count-low");
    expect(error.detail).toEqual({ method: "C_Login", ckr: "CKR_PIN_INCORRECT", pinCountLow: true });
  });

  it("says PIN_LOCKED when that attempt was the last one", async () => {
    const error = await openWith(pkcs11js.CKF_USER_PIN_LOCKED, "test-double://locked-now");
    expect(error.code).toBe("PIN_LOCKED");
  });

  it("says nothing more when the token does not tell", async () => {
    const error = await openWith(0, "test-double://silent");
    expect(error.detail).toEqual({ method: "C_Login", ckr: "CKR_PIN_INCORRECT" });
  });
});
