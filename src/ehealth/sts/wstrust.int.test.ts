// The WS-Trust door against the simulated STS over loopback, with the test PKI's eIDs on SoftHSM:
// a recent card (EC P-384, ECDSA-SHA256) and an older one (RSA). What goes on the wire validates
// with xmllint against the WS-Trust 1.3 and WS-Security schemas and verifies with xmlsec1; the
// legacy door refuses an EC card before anything is signed or sent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { xmllintValidate, xmlsecVerify } from "../../../tests/support/xmltools.js";
import { CodedError } from "../../errors.js";
import { stsConfigFromPki } from "../../simulator/sts/config.js";
import { createStsEndpoint, STS_PATH } from "../../simulator/sts/endpoint.js";
import { StsCounters } from "../../simulator/sts/stats.js";
import { createWsTrustEndpoint, WS_TRUST_STS_PATH } from "../../simulator/sts/wstrust-endpoint.js";
import { serveEndpoint, type Served } from "../../simulator/sts/__fixtures__/serve.js";
import { openPkcs11Signer, type Pkcs11Signer } from "../keys/pkcs11.js";
import type { Signer } from "../keys/signer.js";
import { credentials, type Credentials } from "../wssec/__fixtures__/credentials.js";
import { NS } from "../xml/namespaces.js";
import { childElements, descendants, parseXml, path } from "../xml/parse.js";
import { XMLSerializer } from "@xmldom/xmldom";
import { requestStsToken, type StsTokenRequest } from "./client.js";
import { stsDoorOf } from "./door.js";
import { PHARMACY_ATTRIBUTE } from "./pharmacy-profile.js";
import { titularTokenRequest } from "./__fixtures__/titular.js";

const NOW = new Date("2025-03-10T08:00:00.000Z");
const ID_ATTRIBUTES = [
  ["Id", "Body"],
  ["Id", "Timestamp"],
  ["Id", "BinarySecurityToken"],
] as const;
let c: Credentials;
let ecEid: Pkcs11Signer;
let rsaEid: Pkcs11Signer;
let wsTrust: Served;
let legacy: Served;
const counters = new StsCounters();

beforeAll(async () => {
  c = credentials(); // points SOFTHSM2_CONF at the test tokens
  const open = (eid: typeof c.pki.eid) =>
    openPkcs11Signer({ modulePath: eid.module, tokenLabel: eid.tokenLabel, pin: eid.pin });
  ecEid = await open(c.pki.eid);
  rsaEid = await open(c.pki.eidRsa);
  const config = stsConfigFromPki(c.pki, { clock: () => NOW });
  wsTrust = await serveEndpoint(createWsTrustEndpoint(config, counters), WS_TRUST_STS_PATH);
  legacy = await serveEndpoint(createStsEndpoint(config, counters), STS_PATH);
});
afterAll(async () => {
  await Promise.all([wsTrust.close(), legacy.close(), ecEid.close(), rsaEid.close()]);
});

const ask = (identification: Signer, url: string, overrides: Partial<StsTokenRequest> = {}) =>
  requestStsToken({ ...titularTokenRequest(c, NOW), url, identification, ...overrides });

async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CodedError);
  return { code: (error as CodedError).code, ...(error as CodedError).detail };
}

/** The Body payload and the wsse:Security header of a sent message, each on its own. */
function parts(message: string): { payload: string; security: string; method: string | null } {
  const doc = parseXml(message);
  const envelope = doc.documentElement!;
  const payload = childElements(path(envelope, [NS.soap, "Body"])!)[0]!;
  const security = path(envelope, [NS.soap, "Header"], [NS.wsse, "Security"])!;
  const method = descendants(security, NS.ds, "SignatureMethod")[0]!.getAttribute("Algorithm");
  const s = new XMLSerializer();
  return { payload: s.serializeToString(payload), security: s.serializeToString(security), method };
}

describe("the WS-Trust door with a recent EC P-384 eID", () => {
  it("signs the RST with ECDSA-SHA256 on the card, answers the challenge with the organisation key, gets the token", async () => {
    const before = wsTrust.requests.length;
    const token = await ask(ecEid, wsTrust.url);
    expect(token.attributes[PHARMACY_ATTRIBUTE.pharmacyHolder]).toEqual(["true"]);
    expect(token.attributes[PHARMACY_ATTRIBUTE.certificateHolderSsin]).toEqual([c.pki.eid.ssin]);
    expect(token.notOnOrAfter.getTime() - NOW.getTime()).toBe(12 * 3600_000);

    const [rst, challengeResponse] = wsTrust.requests.slice(before);
    expect(wsTrust.requests.length - before).toBe(2);
    const first = parts(rst!);
    expect(first.method).toBe("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256");
    expect(first.payload).toContain(c.organisation.certificateDer.toString("base64")); // UseKey
    const rstSchema = xmllintValidate(first.payload, "ws-trust-1.3.xsd");
    expect(rstSchema.ok, rstSchema.output).toBe(true);
    const header = xmllintValidate(first.security, "oasis-200401-wss-wssecurity-secext-1.0.xsd");
    expect(header.ok, header.output).toBe(true);
    const byCard = xmlsecVerify(rst!, {
      idAttributes: ID_ATTRIBUTES,
      publicKeyCertificatePem: c.pki.eid.certPem,
    });
    expect(byCard.ok, byCard.output).toBe(true);
    // The same message does not verify with another key: xmlsec1 really checked the ECDSA value.
    const byOther = xmlsecVerify(rst!, {
      idAttributes: ID_ATTRIBUTES,
      publicKeyCertificatePem: c.pki.organisation.certPem,
    });
    expect(byOther.ok).toBe(false);

    const second = parts(challengeResponse!);
    expect(second.method).toBe("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
    const rstrSchema = xmllintValidate(second.payload, "ws-trust-1.3.xsd");
    expect(rstrSchema.ok, rstrSchema.output).toBe(true);
    const byUseKey = xmlsecVerify(challengeResponse!, {
      idAttributes: ID_ATTRIBUTES,
      publicKeyCertificatePem: c.pki.organisation.certPem,
    });
    expect(byUseKey.ok, byUseKey.output).toBe(true);
  });

  it("is refused on the legacy door before anything is signed or sent", async () => {
    const before = legacy.requests.length;
    expect(await failure(ask(ecEid, legacy.url))).toEqual({
      code: "STS_DOOR_KEY_UNSUPPORTED",
      door: "saml-p",
      keyAlgorithm: "EC",
    });
    expect(legacy.requests.length).toBe(before);
    // Forced onto the legacy door whatever the URL says: the same refusal.
    expect((await failure(ask(ecEid, wsTrust.url, { door: "saml-p" })))["code"]).toBe(
      "STS_DOOR_KEY_UNSUPPORTED",
    );
  });
});

describe("an older RSA eID", () => {
  it("opens through the WS-Trust door (RSA-SHA256) and through the legacy door", async () => {
    const before = wsTrust.requests.length;
    const viaWsTrust = await ask(rsaEid, wsTrust.url);
    const rst = wsTrust.requests[before]!;
    expect(parts(rst).method).toBe("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
    const check = xmlsecVerify(rst, {
      idAttributes: ID_ATTRIBUTES,
      publicKeyCertificatePem: c.pki.eidRsa.certPem,
    });
    expect(check.ok, check.output).toBe(true);
    const viaLegacy = await ask(rsaEid, legacy.url);
    expect(viaWsTrust.attributes[PHARMACY_ATTRIBUTE.pharmacyHolder]).toEqual(["true"]);
    expect(viaLegacy.attributes[PHARMACY_ATTRIBUTE.pharmacyHolder]).toEqual(["true"]);
  });
});

describe("the door", () => {
  it("follows the URL's path unless forced", () => {
    expect(stsDoorOf("https://services.ehealth.fgov.be/IAM/SecurityTokenService/v1")).toBe("ws-trust");
    expect(stsDoorOf("https://services.ehealth.fgov.be/IAM/Saml11TokenService/Legacy/v1")).toBe("saml-p");
    expect(stsDoorOf("https://sts.example/IAM/Saml11TokenService/Legacy/v1/")).toBe("saml-p");
    expect(stsDoorOf("https://sts.example/anything")).toBe("ws-trust");
    expect(stsDoorOf("https://sts.example/IAM/Saml11TokenService/Legacy/v1", "ws-trust")).toBe("ws-trust");
  });

  it("is counted by the simulator per door", () => {
    const counts = counters.snapshot();
    expect(counts["ws-trust"].challenged).toBeGreaterThanOrEqual(2);
    expect(counts["ws-trust"].issued).toBeGreaterThanOrEqual(2);
    expect(counts["saml-p"].issued).toBeGreaterThanOrEqual(1);
  });
});
