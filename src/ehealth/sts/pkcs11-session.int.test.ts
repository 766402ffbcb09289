// The eID path end to end: the identification signature is made on a PKCS#11 token (the test
// PKI's SoftHSM "eID"), the proof of possession with the organisation keystore, and the
// simulated STS issues a token for it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { xmlsecVerify } from "../../../tests/support/xmltools.js";
import { stsConfigFromPki } from "../../simulator/sts/config.js";
import { createStsEndpoint, STS_PATH } from "../../simulator/sts/endpoint.js";
import { serveEndpoint, type Served } from "../../simulator/sts/__fixtures__/serve.js";
import { openPkcs11Signer, type Pkcs11Signer } from "../keys/pkcs11.js";
import { credentials, type Credentials } from "../wssec/__fixtures__/credentials.js";
import { requestStsToken } from "./client.js";
import { titularTokenRequest } from "./__fixtures__/titular.js";
import { PHARMACY_ATTRIBUTE } from "./pharmacy-profile.js";

const NOW = new Date("2025-03-10T08:00:00.000Z");
let c: Credentials;
let eid: Pkcs11Signer;
let served: Served;

beforeAll(async () => {
  c = credentials(); // points SOFTHSM2_CONF at the test token
  eid = await openPkcs11Signer({
    modulePath: c.pki.eidRsa.module,
    tokenLabel: c.pki.eidRsa.tokenLabel,
    pin: c.pki.eidRsa.pin,
    keyLabel: c.pki.eidRsa.keyLabel,
  });
  served = await serveEndpoint(createStsEndpoint(stsConfigFromPki(c.pki, { clock: () => NOW })), STS_PATH);
});
afterAll(async () => {
  await served.close();
  await eid.close();
});

describe("an eHealth session opened with the eID through PKCS#11", () => {
  it("signs the STS request on the token and obtains the token", async () => {
    const token = await requestStsToken({
      ...titularTokenRequest(c, NOW),
      url: served.url,
      identification: eid,
      user: { ssin: c.pki.eidRsa.ssin },
    });
    expect(token.attributes[PHARMACY_ATTRIBUTE.pharmacyHolder]).toEqual(["true"]);
    expect(token.attributes[PHARMACY_ATTRIBUTE.certificateHolderSsin]).toEqual([c.pki.eidRsa.ssin]);

    // What went on the wire verifies independently, with the eID certificate's key.
    const sent = served.requests.at(-1)!;
    expect(sent).toContain(eid.certificateDer.toString("base64"));
    const check = xmlsecVerify(sent, {
      idAttributes: [
        ["Id", "Body"],
        ["Id", "Timestamp"],
        ["Id", "BinarySecurityToken"],
      ],
      publicKeyCertificatePem: c.pki.eidRsa.certPem,
    });
    expect(check.ok, check.output).toBe(true);
  });
});
