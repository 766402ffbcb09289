// The STS client against the simulated STS over loopback: real signatures both ways, real HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { xmllintValidate, xmlsecVerify } from "../../../tests/support/xmltools.js";
import { makeNiss } from "../../identifiers/index.js";
import { CodedError } from "../../errors.js";
import { stsConfigFromPki, type StsSimulatorConfig } from "../../simulator/sts/config.js";
import { createStsEndpoint, STS_PATH } from "../../simulator/sts/endpoint.js";
import { serveEndpoint, type Served, type ServeHooks } from "../../simulator/sts/__fixtures__/serve.js";
import { createAgent } from "../transport/agent.js";
import { credentials, type Credentials } from "../wssec/__fixtures__/credentials.js";
import { colleagueKeystore, COLLEAGUE } from "../../../tests/support/colleague.js";
import { loadPkcs12 } from "../keys/pkcs12.js";
import { requestStsToken, type StsTokenRequest } from "./client.js";
import { PHARMACY_ATTRIBUTE } from "./pharmacy-profile.js";
import { titularTokenRequest } from "./__fixtures__/titular.js";

const NOW = new Date("2025-03-10T08:00:00.000Z");
const REQUESTER = { code: "STS_REFUSED", reason: "status", statusCode: "samlp:Requester" };
const NOT_HOLDER = {
  code: "STS_REFUSED",
  reason: "attribute-not-true",
  attribute: PHARMACY_ATTRIBUTE.pharmacyHolder,
};
const UNAUTHENTICATED = {
  code: "STS_REFUSED",
  reason: "soap-fault",
  soaCode: "SOA-01001",
  faultCode: "soap:Client",
};
const UNTRUSTED_ANSWER = { code: "STS_ANSWER_INVALID", reason: "signature-invalid" };
let c: Credentials;
let config: StsSimulatorConfig;
let served: Served;
const agent = createAgent({ keepAlive: true });

beforeAll(async () => {
  c = credentials();
  config = stsConfigFromPki(c.pki, { clock: () => NOW });
  served = await serveEndpoint(createStsEndpoint(config), STS_PATH);
});
afterAll(async () => {
  agent.destroy();
  await served.close();
});

const ask = (overrides: Partial<StsTokenRequest> = {}, url = served.url) =>
  requestStsToken({
    ...titularTokenRequest(c, NOW),
    url,
    identification: c.personal,
    agent,
    ...overrides,
  });

/** The code and the detail of the failure (e.g. { code: "STS_REFUSED", reason: "status" }). */
async function outcome(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
    return { code: "issued" };
  } catch (error) {
    if (error instanceof CodedError) return { code: error.code, ...error.detail };
    throw error;
  }
}

/** Runs `body` with the simulator's configuration changed, then restores it. */
async function withConfig<T>(change: Partial<StsSimulatorConfig>, body: () => Promise<T>): Promise<T> {
  const saved = { ...config };
  Object.assign(config, change);
  try {
    return await body();
  } finally {
    Object.assign(config, saved);
  }
}

async function withServer<T>(hooks: ServeHooks, body: (url: string) => Promise<T>): Promise<T> {
  const other = await serveEndpoint(createStsEndpoint(config), STS_PATH, hooks);
  try {
    return await body(other.url);
  } finally {
    await other.close();
  }
}

describe("requestStsToken against the simulated STS", () => {
  it("obtains a holder-of-key token for the pharmacy and its titular pharmacist", async () => {
    const token = await ask();
    expect(token.assertionId).toMatch(/^_[0-9a-f]{32}$/);
    expect(token.notBefore.toISOString()).toBe(NOW.toISOString());
    expect(token.notOnOrAfter.toISOString()).toBe("2025-03-10T20:00:00.000Z");
    expect(token.attributes[PHARMACY_ATTRIBUTE.recognisedPharmacy]).toEqual(["true"]);
    expect(token.attributes[PHARMACY_ATTRIBUTE.pharmacyHolder]).toEqual(["true"]);
    expect(token.attributes[PHARMACY_ATTRIBUTE.holderNihii11]).toEqual([c.pki.holder.nihii]);
    expect(token.assertionXml.startsWith("<saml:Assertion ")).toBe(true);
    // The token as the daemon keeps it stands alone: schema-valid, and signed by the STS under the test CA.
    const schema = xmllintValidate(token.assertionXml, "oasis-sstc-saml-schema-assertion-1.1.xsd");
    expect(schema.ok, schema.output).toBe(true);
    const signature = xmlsecVerify(token.assertionXml, {
      idAttributes: [["AssertionID", "Assertion"]],
      trustedPem: [c.pki.ca.certPem],
    });
    expect(signature.ok, signature.output).toBe(true);
  });

  it("gets the lifetime the simulator allows when it is shorter than asked", async () => {
    const token = await withConfig({ lifetimeSeconds: 90 }, () => ask());
    expect(token.notOnOrAfter.getTime() - token.notBefore.getTime()).toBe(90_000);
  });

  // Brochure §8.2.2.3: any pharmacist of the authentic source opens the pharmacy's session with
  // their own card; eHealth links the pharmacy to its titular, named as pharmacy-holder.
  it("issues a token to another pharmacist of the authentic source, the titular named as holder", async () => {
    const colleague = await colleagueKeystore();
    const identification = loadPkcs12(colleague.p12Path, colleague.password);
    try {
      const asColleague = () => ask({ identification, user: { ssin: COLLEAGUE.ssin } });
      expect(await outcome(asColleague())).toEqual(REQUESTER); // not (yet) a registered pharmacist
      const token = await withConfig({ pharmacists: [...config.pharmacists, COLLEAGUE.ssin] }, asColleague);
      expect(token.attributes[PHARMACY_ATTRIBUTE.personSsin]).toEqual([COLLEAGUE.ssin]);
      expect(token.attributes[PHARMACY_ATTRIBUTE.pharmacyHolder]).toEqual(["true"]);
      expect(token.attributes[PHARMACY_ATTRIBUTE.holderNihii11]).toEqual([c.pki.holder.nihii]);
    } finally {
      await identification.close();
    }
  });

  describe("STS_REFUSED", () => {
    it("for an unknown pharmacy", async () => {
      expect(await outcome(ask({ pharmacy: { nihii: "62599147" } }))).toEqual(REQUESTER);
    });
    it("for a revoked certificate", async () => {
      expect(await outcome(ask({ identification: c.revoked }))).toEqual(REQUESTER);
    });
    it("for a certificate of a foreign CA", async () => {
      expect(await outcome(ask({ identification: c.foreign }))).toEqual(REQUESTER);
    });
    it("when the titular the request names (pharmacy-holder) is not the registered holder", async () => {
      const registry = {
        [c.pki.pharmacy.nihii]: {
          holderSsin: makeNiss({ birthDate: "1980-01-01", sequence: 3 }),
          holderNihii11: c.pki.holder.nihii,
        },
      };
      expect(await withConfig({ pharmacies: registry }, () => outcome(ask()))).toEqual(NOT_HOLDER);
    });
    it("when the registered holder's NIHII is not a titular pharmacist's (…001)", async () => {
      const assistant = `${c.pki.holder.nihii.slice(0, 8)}002`;
      const registry = {
        [c.pki.pharmacy.nihii]: { holderSsin: c.pki.holder.ssin, holderNihii11: assistant },
      };
      expect(await withConfig({ pharmacies: registry }, () => outcome(ask()))).toEqual(NOT_HOLDER);
    });
    it("when the holder-of-key certificate is not the pharmacy's", async () => {
      expect(await outcome(ask({ holderOfKey: c.personal }))).toEqual(REQUESTER);
    });
    it("when the request's Timestamp is stale", async () => {
      expect(await outcome(ask({ now: new Date(NOW.getTime() - 10 * 60_000) }))).toEqual(UNAUTHENTICATED);
    });
    it.each([
      [
        "the Body edited",
        (m: string) =>
          m.replace(
            /(pharmacy:nihii-number" AttributeNamespace="[^"]*"><saml:AttributeValue>)\d+/,
            "$162599147",
          ),
      ],
      [
        "the Timestamp edited",
        (m: string) => m.replace(/(<wsu:Expires>)[^<]+/, "$12030-01-01T00:00:00.000Z"),
      ],
      [
        "the signed Body wrapped away",
        (m: string) => {
          const at = m.indexOf("<soap:Body");
          const body = m.slice(at, m.lastIndexOf("</soap:Envelope>"));
          const moved = `<w:W xmlns:w="urn:w">${body.replace(/soap:Body/g, "w:B")}</w:W>`;
          return (
            m.slice(0, at).replace("</soap:Header>", `${moved}</soap:Header>`) +
            `<soap:Body/></soap:Envelope>`
          );
        },
      ],
    ])("when the request arrives with %s", async (_name, tamper) => {
      const code = await withServer(
        {
          onRequest: (body) => {
            const edited = tamper(body);
            expect(edited).not.toBe(body);
            return edited;
          },
        },
        (url) => outcome(ask({}, url)),
      );
      expect(code).toEqual(UNAUTHENTICATED);
    });
  });

  describe("STS_UNAVAILABLE", () => {
    it("on a SystemError", async () => {
      expect(await withConfig({ mode: "system-error" }, () => outcome(ask()))).toMatchObject({
        code: "STS_UNAVAILABLE",
        soaCode: "SOA-02001",
      });
    });
    it("when the STS is down (connection dropped)", async () => {
      expect(await withConfig({ mode: "down" }, () => outcome(ask()))).toEqual({
        code: "STS_UNAVAILABLE",
        reason: "transport",
        transport: "reset",
      });
    });
    it("when nothing listens", async () => {
      const url = served.url.replace(/:\d+\//, ":1/");
      expect(await outcome(ask({}, url))).toEqual({
        code: "STS_UNAVAILABLE",
        reason: "transport",
        transport: "connect-refused",
      });
    });
    it("on an HTTP error without SOAP fault", async () => {
      const code = await withServer(
        { onReply: () => ({ status: 502, body: "Bad gateway", contentType: "text/plain" }) },
        (url) => outcome(ask({}, url)),
      );
      expect(code).toEqual({ code: "STS_UNAVAILABLE", reason: "http-status", httpStatus: 502 });
    });
  });

  describe("STS_ANSWER_INVALID", () => {
    it("when the assertion was signed with another key", async () => {
      expect(await withConfig({ mode: "wrong-key" }, () => outcome(ask()))).toEqual(UNTRUSTED_ANSWER);
    });
    it("when the assertion was edited on the way", async () => {
      const code = await withServer(
        {
          onReply: (r) => ({
            ...r,
            body: r.body
              .replace(`<saml:AttributeValue>false</saml:AttributeValue>`, "x")
              .replace(c.pki.holder.nihii, "25034710002"),
          }),
        },
        (url) => outcome(ask({}, url)),
      );
      expect(code).toEqual(UNTRUSTED_ANSWER);
    });
    it("when the client trusts another STS certificate", async () => {
      expect(await outcome(ask({ stsCertificateDer: c.organisation.certificateDer }))).toEqual(
        UNTRUSTED_ANSWER,
      );
    });
  });
});
