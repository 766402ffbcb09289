// The login worker on its own, against the SoftHSM eID: what comes back from the other thread is
// what pkcs11js would have thrown here, so the error mapping (pkcs11-errors.ts) stays the same.
import pkcs11js from "pkcs11js";
import { afterAll, describe, expect, it } from "vitest";
import { testPki } from "../../../tests/support/pki.js";
import { pkcs11Error, returnValueOf } from "./pkcs11-errors.js";
import { loginOffThread } from "./pkcs11-login.js";
import { Pkcs11Module } from "./pkcs11-module.js";

const pki = testPki(); // also points SOFTHSM2_CONF at the test tokens
const module = Pkcs11Module.load(pki.eid.module);
afterAll(() => module.close());

function openSession(): Buffer {
  const { api } = module;
  const slot = api
    .C_GetSlotList(true)
    .find((s) => api.C_GetTokenInfo(s).label.trimEnd() === pki.eid.tokenLabel);
  return api.C_OpenSession(slot!, pkcs11js.CKF_SERIAL_SESSION);
}

describe("loginOffThread", () => {
  it("logs in, from its thread, the session this thread opened; the library stays initialised here", async () => {
    const session = openSession();
    try {
      await loginOffThread(module.path, session, pki.eid.pin);
      expect(module.api.C_GetSessionInfo(session).state).toBe(1); // CKS_RO_USER_FUNCTIONS
    } finally {
      module.api.C_CloseSession(session);
    }
    // No C_Finalize on the worker: a new session still opens on this thread.
    const again = openSession();
    expect(module.api.C_GetSessionInfo(again).state).toBe(0); // CKS_RO_PUBLIC_SESSION: logged out
    module.api.C_CloseSession(again);
  });

  it("fails with the return value, as pkcs11js would: a wrong PIN, a session that is gone", async () => {
    const session = openSession();
    const wrong = await loginOffThread(module.path, session, "75319").catch((e: unknown) => e);
    expect(returnValueOf(wrong)).toBe(pkcs11js.CKR_PIN_INCORRECT);
    expect(pkcs11Error(wrong, "open", "C_Login").code).toBe("PIN_INCORRECT");
    expect(String((wrong as Error).stack)).not.toContain("75319");
    module.api.C_CloseSession(session);
    const gone = await loginOffThread(module.path, session, pki.eid.pin).catch((e: unknown) => e);
    expect(returnValueOf(gone)).toBe(pkcs11js.CKR_SESSION_HANDLE_INVALID);
    expect(pkcs11Error(gone, "open", "C_Login").code).toBe("CARD_ABSENT");
  });

  it("a library the worker cannot load is a PKCS11_FAILURE naming no path and no PIN", async () => {
    const session = openSession();
    const failed = await loginOffThread("/nonexistent/libpkcs11.so", session, pki.eid.pin).catch(
      (e: unknown) => e,
    );
    module.api.C_CloseSession(session);
    const coded = pkcs11Error(failed, "open", "C_Login");
    expect(coded.code).toBe("PKCS11_FAILURE");
    expect(coded.detail).toEqual({ method: "C_Login", error: "Error" }); // dlopen's failure, by kind only
    expect(String((failed as Error).stack)).not.toContain("nonexistent");
  });
});
