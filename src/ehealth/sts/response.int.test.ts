import { beforeAll, describe, expect, it } from "vitest";
import { xmlsecVerify } from "../../../tests/support/xmltools.js";
import { CodedError } from "../../errors.js";
import { mintAssertion, type MintedAttribute } from "./server/assertion-minter.js";
import { fault, issued, refused } from "./server/replies.js";
import { credentials, type Credentials } from "../wssec/__fixtures__/credentials.js";
import { NS } from "../xml/namespaces.js";
import { parseXml } from "../xml/parse.js";
import {
  CERTIFIED_NAMESPACE,
  identificationAttributes,
  PHARMACY_ATTRIBUTE as A,
} from "./pharmacy-profile.js";
import { parseStsResponse, type StsResponseOptions } from "./response.js";

const NOW = new Date("2025-03-10T08:00:00.000Z");
let c: Credentials;
let okAnswer: string;
let assertion: string;

beforeAll(async () => {
  c = credentials();
  assertion = await mint();
  okAnswer = issued("request-1", NOW, assertion).body;
});

function mint(certified: Record<string, string> = {}): Promise<string> {
  const attributes: MintedAttribute[] = [
    ...identificationAttributes({
      userSsin: c.pki.holder.ssin,
      holderSsin: c.pki.holder.ssin,
      pharmacyNihii: c.pki.pharmacy.nihii,
    }),
    ...Object.entries({
      [A.recognisedPharmacy]: "true",
      [A.holderNihii11]: c.pki.holder.nihii,
      [A.pharmacyHolder]: "true",
      ...certified,
    }).map(([name, value]) => ({ name, namespace: CERTIFIED_NAMESPACE, value })),
  ];
  return mintAssertion(
    {
      identificationCertDer: c.personal.certificateDer,
      holderOfKeyCertDer: c.organisation.certificateDer,
      attributes,
      now: NOW,
      lifetimeSeconds: 3600,
    },
    c.sts,
  );
}

const options = (o: Partial<StsResponseOptions> = {}): StsResponseOptions => ({
  stsCertificateDer: c.sts.certificateDer,
  now: NOW,
  pharmacyNihii: c.pki.pharmacy.nihii,
  ...o,
});

function failure(
  xml: string,
  o: Partial<StsResponseOptions> = {},
): { code: string; cause: string } & Record<string, unknown> {
  try {
    parseStsResponse(xml, options(o));
  } catch (error) {
    if (error instanceof CodedError)
      return {
        code: error.code,
        ...error.detail,
        cause: String((error.cause as Error | undefined)?.message ?? ""),
      };
    throw error;
  }
  return { code: "accepted", cause: "" };
}

describe("parseStsResponse", () => {
  it("returns the assertion verbatim with its id, validity and attributes", () => {
    const token = parseStsResponse(
      okAnswer,
      options({ requestId: "request-1", holderOfKeyCertDer: c.organisation.certificateDer }),
    );
    expect(token.assertionXml).toBe(assertion);
    expect(token.assertionId).toBe(parseXml(assertion).documentElement?.getAttribute("AssertionID"));
    expect(token.notBefore).toEqual(NOW);
    expect(token.notOnOrAfter).toEqual(new Date(NOW.getTime() + 3600_000));
    expect(token.attributes[A.pharmacyNihii]).toEqual([c.pki.pharmacy.nihii]);
  });

  it("adds the namespace declarations the assertion inherited, leaving its bytes and signature intact", () => {
    // The same answer with saml/ds declared on the envelope only, and odd spacing inside tags.
    const bare = assertion
      .replace(` xmlns:saml="${NS.saml}"`, "")
      .replace(` xmlns:ds="${NS.ds}"`, "")
      .replace("<saml:Conditions ", "<saml:Conditions   ");
    const original = issued("request-1", NOW, bare).body;
    const answer = original.replace(
      "<soap:Envelope ",
      `<soap:Envelope xmlns:saml="${NS.saml}" xmlns:ds="${NS.ds}" `,
    );
    expect(answer).not.toBe(original);
    const token = parseStsResponse(answer, options());
    expect(token.assertionXml).toContain("<saml:Conditions   ");
    // Only what it uses (not soap, not samlp) is declared, right after the element name.
    expect(token.assertionXml).toBe(
      bare.replace("<saml:Assertion", `<saml:Assertion xmlns:saml="${NS.saml}" xmlns:ds="${NS.ds}"`),
    );
    const check = xmlsecVerify(token.assertionXml, {
      idAttributes: [["AssertionID", "Assertion"]],
      trustedPem: [c.pki.ca.certPem],
    });
    expect(check.ok, check.output).toBe(true);
  });

  it("STS_REFUSED for a status other than Success, the message kept for the log with national numbers masked", () => {
    const answer = refused("request-1", NOW, `The SSIN ${c.pki.holder.ssin} is not allowed`).body;
    const result = failure(answer);
    expect(result).toMatchObject({ code: "STS_REFUSED", reason: "status", statusCode: "samlp:Requester" });
    expect(result.cause).toContain("is not allowed");
    expect(result.cause).not.toContain(c.pki.holder.ssin);
  });

  it("classifies SOAP faults by their eHealth code", () => {
    expect(failure(fault("SOA-02001").body)).toMatchObject({
      code: "STS_UNAVAILABLE",
      soaCode: "SOA-02001",
    });
    expect(failure(fault("SOA-02002").body)).toMatchObject({ code: "STS_UNAVAILABLE" });
    expect(failure(fault("SOA-01001").body)).toMatchObject({
      code: "STS_REFUSED",
      soaCode: "SOA-01001",
    });
    expect(failure(fault("SOA-03006").body)).toMatchObject({ code: "STS_REFUSED" });
    const plain = (code: string) =>
      `<s:Envelope xmlns:s="${NS.soap}"><s:Body><s:Fault><faultcode>s:${code}</faultcode><faultstring>x</faultstring></s:Fault></s:Body></s:Envelope>`;
    expect(failure(plain("Server"))).toMatchObject({ code: "STS_UNAVAILABLE", faultCode: "s:Server" });
    expect(failure(plain("Client"))).toMatchObject({ code: "STS_REFUSED" });
  });

  it("STS_REFUSED when a certified pharmacy boolean is not true", async () => {
    for (const name of [A.recognisedPharmacy, A.pharmacyHolder]) {
      const answer = issued("request-1", NOW, await mint({ [name]: "false" })).body;
      expect(failure(answer)).toMatchObject({
        code: "STS_REFUSED",
        reason: "attribute-not-true",
        attribute: name,
      });
    }
  });

  it("STS_ANSWER_INVALID outside the validity window", () => {
    expect(failure(okAnswer, { now: new Date(NOW.getTime() + 3600_000) })).toMatchObject({
      code: "STS_ANSWER_INVALID",
      reason: "expired",
    });
    expect(failure(okAnswer, { now: new Date(NOW.getTime() - 5 * 60_000) })).toMatchObject({
      code: "STS_ANSWER_INVALID",
      reason: "not-yet-valid",
    });
    // Within the clock tolerance, it is accepted.
    expect(failure(okAnswer, { now: new Date(NOW.getTime() - 30_000) }).code).toBe("accepted");
  });

  it("STS_ANSWER_INVALID for an edited assertion, another signer, another pharmacy, holder or request", () => {
    const edited = okAnswer.replace(`>${c.pki.holder.nihii}<`, ">25034710002<");
    expect(failure(edited)).toMatchObject({ code: "STS_ANSWER_INVALID", reason: "signature-invalid" });
    expect(failure(okAnswer, { stsCertificateDer: c.organisation.certificateDer })).toMatchObject({
      code: "STS_ANSWER_INVALID",
    });
    expect(failure(okAnswer, { pharmacyNihii: "62599147" })).toMatchObject({ code: "STS_ANSWER_INVALID" });
    expect(failure(okAnswer, { holderOfKeyCertDer: c.personal.certificateDer })).toMatchObject({
      code: "STS_ANSWER_INVALID",
    });
    expect(failure(okAnswer, { requestId: "request-2" })).toMatchObject({ code: "STS_ANSWER_INVALID" });
  });

  it("STS_ANSWER_INVALID for what is not a single signed assertion in a samlp:Response", () => {
    expect(failure("not xml")).toMatchObject({ code: "STS_ANSWER_INVALID", reason: "malformed" });
    expect(failure(`<s:Envelope xmlns:s="${NS.soap}"><s:Body/></s:Envelope>`)).toMatchObject({
      code: "STS_ANSWER_INVALID",
    });
    const twice = okAnswer.replace(assertion, assertion + assertion);
    expect(failure(twice)).toMatchObject({ code: "STS_ANSWER_INVALID" });
    const unsigned = okAnswer.replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, "");
    expect(failure(unsigned)).toMatchObject({ code: "STS_ANSWER_INVALID", reason: "signature-invalid" });
    const foreignIssuer = okAnswer.replace('Issuer="urn:be:fgov:ehealth:sts:1_0"', 'Issuer="urn:evil"');
    expect(failure(foreignIssuer)).toMatchObject({ code: "STS_ANSWER_INVALID", reason: "malformed" });
  });
});
