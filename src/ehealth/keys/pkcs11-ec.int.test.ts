// A recent eID (applet 1.8, since about 2021) on a real SoftHSM2 token: EC P-384 keys generated
// on the token, "Signature" beside "Authentication" (SoftHSM lists its objects in no set order).
// The daemon picks the authentication key by label and signs with CKM_ECDSA over a digest it computes; node verifies the raw r‖s.
import { X509Certificate, createHash, verify } from "node:crypto";
import pkcs11js from "pkcs11js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testPki } from "../../../tests/support/pki.js";
import { describeCertificate } from "./certificate.js";
import { Pkcs11Module } from "./pkcs11-module.js";
import { openPkcs11Signer, type Pkcs11Signer } from "./pkcs11.js";

const pki = testPki(); // also points SOFTHSM2_CONF at the test tokens
const DATA = Buffer.from("<ds:SignedInfo>…</ds:SignedInfo>");
let signer: Pkcs11Signer;

beforeAll(async () => {
  signer = await openPkcs11Signer({
    modulePath: pki.eid.module,
    tokenLabel: pki.eid.tokenLabel,
    pin: pki.eid.pin,
  });
});
afterAll(() => signer.close());

const publicKey = () => new X509Certificate(signer.certificateDer).publicKey;

describe("an EC P-384 eID through PKCS#11", () => {
  it("is opened with the authentication key and certificate, not the Signature one beside it", () => {
    expect(signer.keyAlgorithm).toBe("EC");
    expect(publicKey().asymmetricKeyDetails?.namedCurve).toBe("secp384r1");
    expect(signer.certificateDer.equals(new X509Certificate(pki.eid.certPem).raw)).toBe(true);
    const described = describeCertificate(signer.certificateDer);
    expect(described.commonName).toBe(`${pki.eid.givenName} ${pki.eid.surname} (Authentication)`);
    expect(described.ssin).toBe(pki.eid.ssin);

    const module = Pkcs11Module.load(pki.eid.module);
    try {
      const { api } = module;
      const slot = api
        .C_GetSlotList(true)
        .find((s) => api.C_GetTokenInfo(s).label.trimEnd() === pki.eid.tokenLabel);
      const session = api.C_OpenSession(slot!, pkcs11js.CKF_SERIAL_SESSION);
      api.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }]);
      const keys = api.C_FindObjects(session, 8);
      api.C_FindObjectsFinal(session);
      const labels = keys.map((k) =>
        api.C_GetAttributeValue(session, k, [{ type: pkcs11js.CKA_LABEL }])[0]!.value.toString(),
      );
      const flags = keys.map((k) =>
        api
          .C_GetAttributeValue(session, k, [
            { type: pkcs11js.CKA_EXTRACTABLE },
            { type: pkcs11js.CKA_SENSITIVE },
          ])
          .map((a) => a.value[0]),
      );
      api.C_CloseSession(session);
      expect([...labels].sort()).toEqual(["Authentication", "Signature"]);
      expect(flags).toEqual([
        [0, 1],
        [0, 1],
      ]); // never extractable, sensitive
    } finally {
      module.close();
    }
  });

  it.each([
    ["ECDSA-SHA256", "sha256"],
    ["ECDSA-SHA384", "sha384"],
  ] as const)("signs %s on the token as raw r‖s (96 bytes) that node verifies", async (algorithm, digest) => {
    const signature = await signer.sign(DATA, algorithm);
    expect(signature).toHaveLength(96);
    const key = { key: publicKey(), dsaEncoding: "ieee-p1363" as const };
    expect(verify(digest, DATA, key, signature)).toBe(true);
    expect(verify(digest, Buffer.from("other"), key, signature)).toBe(false);
    // the card signed the digest of the data, not the data
    expect(createHash(digest).update(DATA).digest()).toHaveLength(digest === "sha256" ? 32 : 48);
  });

  it("refuses an RSA algorithm for its EC key", async () => {
    await expect(signer.sign(DATA, "RSA-SHA256")).rejects.toThrow(TypeError);
  });
});
