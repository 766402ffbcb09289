// The simulated WS-Trust door called directly (no HTTP), with the test PKI's EC eID on SoftHSM:
// the challenge, the token, and what eHealth refuses — each for its own reason.
import { beforeAll, afterAll, describe, expect, it } from "vitest";
import { xmllintValidate } from "../../../tests/support/xmltools.js";
import { openPkcs11Signer, type Pkcs11Signer } from "../../ehealth/keys/pkcs11.js";
import type { Signer } from "../../ehealth/keys/signer.js";
import { faultError } from "../../ehealth/sts/envelope.js";
import { buildStsRequest, signStsRequest } from "../../ehealth/sts/request.js";
import { titularTerms } from "../../ehealth/sts/__fixtures__/titular.js";
import { buildChallengeResponse, buildRst, WS_TRUST_NS } from "../../ehealth/sts/wstrust-request.js";
import { signWithBinaryToken } from "../../ehealth/wssec/binary-token.js";
import { credentials, type Credentials } from "../../ehealth/wssec/__fixtures__/credentials.js";
import { descendants, parseXml, text } from "../../ehealth/xml/parse.js";
import { readSoapFault } from "../../ehealth/xml/soap-fault.js";
import { soapEnvelope } from "../../ehealth/xml/soap.js";
import { XMLSerializer } from "@xmldom/xmldom";
import type { SoapEndpoint, SoapReply } from "../soap-endpoint.js";
import { stsConfigFromPki } from "./config.js";
import { createStsEndpoint, STS_PATH } from "./endpoint.js";
import { createWsTrustEndpoint, WS_TRUST_STS_PATH } from "./wstrust-endpoint.js";

const NOW = new Date("2025-03-10T08:00:00.000Z");
let c: Credentials;
let eid: Pkcs11Signer;
let sts: SoapEndpoint;

beforeAll(async () => {
  c = credentials();
  eid = await openPkcs11Signer({
    modulePath: c.pki.eid.module,
    tokenLabel: c.pki.eid.tokenLabel,
    pin: c.pki.eid.pin,
  });
  sts = createWsTrustEndpoint(stsConfigFromPki(c.pki, { clock: () => NOW }));
});
afterAll(() => eid.close());

const call = (body: string) => sts({ path: WS_TRUST_STS_PATH, body, headers: {} });

function rst(context: string, edit: (xml: string) => string = (x) => x): string {
  return edit(buildRst({ ...titularTerms(c, NOW), context }));
}

const signed = (payload: string, signer: Signer, ecDigest?: "SHA384") =>
  signWithBinaryToken(soapEnvelope({ body: payload }), signer, {
    now: NOW,
    ...(ecDigest ? { ecDigest } : {}),
  });

const challengeOf = (reply: SoapReply) =>
  text(descendants(parseXml(reply.body), WS_TRUST_NS, "Challenge")[0]) ?? "";

/** The fault code as the client reads it: "wst:FailedAuthentication", "soap:Client"… */
const faultOf = (reply: SoapReply) => {
  const fault = readSoapFault(parseXml(reply.body));
  return { status: reply.status, faultCode: fault?.faultCode, soaCode: fault?.code };
};

describe("the simulated WS-Trust STS", () => {
  it("challenges an eID-signed RST, then issues the token to the challenge signed by the UseKey key", async () => {
    const first = await call(await signed(rst("ctx-1"), eid));
    expect(first.status).toBe(200);
    const challenge = challengeOf(first);
    expect(challenge).not.toBe("");
    const second = await call(await signed(buildChallengeResponse("ctx-1", challenge), c.organisation));
    expect(second.status).toBe(200);
    const collection = descendants(
      parseXml(second.body),
      WS_TRUST_NS,
      "RequestSecurityTokenResponseCollection",
    )[0]!;
    const schema = xmllintValidate(new XMLSerializer().serializeToString(collection), "ws-trust-1.3.xsd");
    expect(schema.ok, schema.output).toBe(true);
    expect(second.body).toContain("RequestedSecurityToken><saml:Assertion");
  });

  it("refuses an RST signed by the organisation key alone: no person identified", async () => {
    const reply = await call(await signed(rst("ctx-2"), c.organisation));
    expect(faultOf(reply)).toMatchObject({ status: 500, faultCode: "wst:InvalidRequest" });
  });

  it("refuses a challenge answered with the eID key instead of the UseKey key, and forgets that challenge", async () => {
    const challenge = challengeOf(await call(await signed(rst("ctx-3"), eid)));
    const byEid = await call(await signed(buildChallengeResponse("ctx-3", challenge), eid));
    expect(faultOf(byEid)).toMatchObject({ status: 500, faultCode: "wst:FailedAuthentication" });
    const replay = await call(await signed(buildChallengeResponse("ctx-3", challenge), c.organisation));
    expect(faultOf(replay)).toMatchObject({ status: 500, faultCode: "wst:FailedAuthentication" });
  });

  it("refuses another challenge than the one it issued", async () => {
    await call(await signed(rst("ctx-4"), eid));
    const reply = await call(
      await signed(buildChallengeResponse("ctx-4", "bm90IHRoaXMgb25l"), c.organisation),
    );
    expect(faultOf(reply)).toMatchObject({ faultCode: "wst:FailedAuthentication" });
  });

  it("accepts RSA-SHA256 and ECDSA-SHA256 only: ECDSA-SHA384 is not authenticated", async () => {
    const reply = await call(await signed(rst("ctx-5"), eid, "SHA384"));
    expect(faultOf(reply)).toMatchObject({ status: 500, soaCode: "SOA-01001" });
  });

  it("refuses a bearer token request (KeyType other than PublicKey)", async () => {
    const bearer = rst("ctx-6", (x) => x.replace("200512/PublicKey", "200512/Bearer"));
    expect(faultOf(await call(await signed(bearer, eid)))).toMatchObject({ faultCode: "wst:InvalidRequest" });
  });

  it("refuses a revoked or untrusted signing certificate", async () => {
    for (const signer of [c.revoked, c.foreign]) {
      expect(faultOf(await call(await signed(rst("ctx-7"), signer)))).toMatchObject({
        faultCode: "wst:FailedAuthentication",
      });
    }
  });

  it("has its faults read by the client as refusals, not outages", async () => {
    const reply = await call(
      await signed(
        rst("ctx-8", (x) => x.replace("200512/PublicKey", "x")),
        eid,
      ),
    );
    expect(faultError(parseXml(reply.body))?.code).toBe("STS_REFUSED");
  });
});

describe("the simulated legacy SAML-P STS", () => {
  it("does not authenticate a request signed with an EC key (the door predates ECDSA)", async () => {
    const request = buildStsRequest({ ...titularTerms(c, NOW), identificationCertDer: eid.certificateDer });
    const body = await signStsRequest(
      request,
      { identification: eid, holderOfKey: c.organisation },
      { now: NOW },
    );
    const legacy = createStsEndpoint(stsConfigFromPki(c.pki, { clock: () => NOW }));
    expect(faultOf(await legacy({ path: STS_PATH, body, headers: {} }))).toMatchObject({
      soaCode: "SOA-01001",
    });
  });
});
