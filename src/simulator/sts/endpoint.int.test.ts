// The simulated STS called directly (no HTTP): what it issues must satisfy the official schema
// and an independent verifier (xmlsec1), and what it refuses must be refused for the right reason.
import { XMLSerializer } from "@xmldom/xmldom";
import { beforeAll, describe, expect, it } from "vitest";
import { xmllintValidate, xmlsecVerify } from "../../../tests/support/xmltools.js";
import { buildStsRequest, signStsRequest, type StsRequestInput } from "../../ehealth/sts/request.js";
import { titularTerms } from "../../ehealth/sts/__fixtures__/titular.js";
import { credentials, type Credentials } from "../../ehealth/wssec/__fixtures__/credentials.js";
import type { Signer } from "../../ehealth/keys/signer.js";
import { NS } from "../../ehealth/xml/namespaces.js";
import { descendants, parseXml } from "../../ehealth/xml/parse.js";
import type { SoapReply } from "../soap-endpoint.js";
import { stsConfigFromPki, type StsSimulatorConfig } from "./config.js";
import { createStsEndpoint, STS_PATH } from "./endpoint.js";

const NOW = new Date("2025-03-10T08:00:00.000Z");
let c: Credentials;
beforeAll(() => {
  c = credentials();
});

const config = (overrides: Partial<StsSimulatorConfig> = {}) =>
  stsConfigFromPki(c.pki, { clock: () => NOW, ...overrides });

async function message(
  signers: { identification?: Signer; holderOfKey?: Signer } = {},
  overrides: Partial<StsRequestInput> = {},
): Promise<string> {
  const identification = signers.identification ?? c.personal;
  const holderOfKey = signers.holderOfKey ?? c.organisation;
  const request = buildStsRequest({
    ...titularTerms(c, NOW),
    identificationCertDer: identification.certificateDer,
    holderOfKeyCertDer: holderOfKey.certificateDer,
    requestId: "request-42",
    ...overrides,
  });
  return signStsRequest(request, { identification, holderOfKey }, { now: NOW });
}

const call = async (cfg: StsSimulatorConfig, body: string): Promise<SoapReply> =>
  createStsEndpoint(cfg)({ path: STS_PATH, body, headers: {} });

const serialize = (el: Element) => new XMLSerializer().serializeToString(el);
const payloadOf = (reply: SoapReply) => descendants(parseXml(reply.body), NS.samlp, "Response")[0]!;
const statusOf = (reply: SoapReply) =>
  descendants(parseXml(reply.body), NS.samlp, "StatusCode")[0]?.getAttribute("Value");

describe("the simulated STS", () => {
  it("issues an assertion that the SAML 1.1 XSDs accept and xmlsec1 verifies against the test CA", async () => {
    const reply = await call(config(), await message());
    expect(reply.status).toBe(200);
    const response = payloadOf(reply);
    expect(response.getAttribute("InResponseTo")).toBe("request-42");
    const schema = xmllintValidate(serialize(response), "oasis-sstc-saml-schema-protocol-1.1.xsd");
    expect(schema.ok, schema.output).toBe(true);

    const assertion = descendants(response, NS.saml, "Assertion")[0]!;
    expect(assertion.getAttribute("Issuer")).toBe("urn:be:fgov:ehealth:sts:1_0");
    const alone = serialize(assertion);
    expect(xmllintValidate(alone, "oasis-sstc-saml-schema-assertion-1.1.xsd").ok).toBe(true);
    const verified = xmlsecVerify(alone, {
      idAttributes: [["AssertionID", "Assertion"]],
      trustedPem: [c.pki.ca.certPem],
    });
    expect(verified.ok, verified.output).toBe(true);
    // Edited, it no longer verifies.
    const edited = alone.replace(`>${c.pki.holder.nihii}<`, ">25034710002<");
    expect(edited).not.toBe(alone);
    expect(
      xmlsecVerify(edited, { idAttributes: [["AssertionID", "Assertion"]], trustedPem: [c.pki.ca.certPem] })
        .ok,
    ).toBe(false);

    // The holder-of-key is the organisation certificate; the subject the identification one.
    const hok = descendants(assertion, NS.ds, "X509Certificate")[0]?.textContent;
    expect(hok).toBe(c.organisation.certificateDer.toString("base64"));
    expect(descendants(assertion, NS.saml, "NameIdentifier")[0]?.textContent).toContain(
      `SSIN=${c.pki.holder.ssin}`,
    );
    expect(
      descendants(assertion, NS.saml, "AuthenticationStatement")[0]?.getAttribute("AuthenticationMethod"),
    ).toBe("urn:oasis:names:tc:SAML:1.0:am:X509-PKI");
  });

  it("caps the lifetime at what was asked and at its own limit", async () => {
    const conditions = async (cfg: StsSimulatorConfig, hours: number) => {
      const reply = await call(cfg, await message({}, { lifetimeHours: hours }));
      const el = descendants(parseXml(reply.body), NS.saml, "Conditions")[0]!;
      return [el.getAttribute("NotBefore"), el.getAttribute("NotOnOrAfter")];
    };
    expect(await conditions(config(), 1)).toEqual(["2025-03-10T08:00:00.000Z", "2025-03-10T09:00:00.000Z"]);
    expect(await conditions(config({ lifetimeSeconds: 30 }), 12)).toEqual([
      "2025-03-10T08:00:00.000Z",
      "2025-03-10T08:00:30.000Z",
    ]);
  });

  it("refuses with samlp:Requester and a message free of personal data", async () => {
    const reply = await call(config({ pharmacies: {} }), await message());
    expect(reply.status).toBe(200);
    expect(statusOf(reply)).toBe("samlp:Requester");
    const schema = xmllintValidate(serialize(payloadOf(reply)), "oasis-sstc-saml-schema-protocol-1.1.xsd");
    expect(schema.ok, schema.output).toBe(true);
    expect(reply.body).not.toContain(c.pki.holder.ssin);
    expect(reply.body).not.toContain(c.pki.pharmacy.nihii);
  });

  it("refuses a proof of possession made by another key than the holder-of-key certificate's", async () => {
    const request = buildStsRequest({
      ...titularTerms(c, NOW),
      identificationCertDer: c.personal.certificateDer,
    });
    // The request names the organisation certificate but is proven with the personal key.
    const forged = await signStsRequest(
      request,
      { identification: c.personal, holderOfKey: c.personal },
      { now: NOW },
    );
    expect(statusOf(await call(config(), forged))).toBe("samlp:Requester");
  });

  it("refuses a revoked holder-of-key certificate and attributes claiming someone else", async () => {
    const revokedOrg = config({ revokedSerials: [c.pki.organisation.serialNumber] });
    expect(statusOf(await call(revokedOrg, await message()))).toBe("samlp:Requester");
    const other = "90010100123";
    expect(statusOf(await call(config(), await message({}, { user: { ssin: other } })))).toBe(
      "samlp:Requester",
    );
  });

  it("answers a SystemError fault (HTTP 500) that validates against the eHealth errors XSD", async () => {
    const reply = await call(config({ mode: "system-error", systemErrorCode: "SOA-02002" }), await message());
    expect(reply.status).toBe(500);
    const error = descendants(parseXml(reply.body), NS.soa, "SystemError")[0]!;
    expect(error.getElementsByTagName("Code")[0]?.textContent).toBe("SOA-02002");
    const schema = xmllintValidate(serialize(error), "ehealth-errors-schema-soa-1_1.xsd");
    expect(schema.ok, schema.output).toBe(true);
  });

  it("tells the server to drop the connection when down, and follows run-time changes", async () => {
    const cfg = config({ mode: "down" });
    const endpoint = createStsEndpoint(cfg);
    const body = await message();
    expect((await endpoint({ path: STS_PATH, body, headers: {} })).transport).toBe("drop");
    cfg.mode = "normal";
    expect(statusOf(await endpoint({ path: STS_PATH, body, headers: {} }))).toBe("samlp:Success");
    cfg.pharmacies = {};
    expect(statusOf(await endpoint({ path: STS_PATH, body, headers: {} }))).toBe("samlp:Requester");
  });

  it("answers SOA-01001 to a message that is not signed and SOA-03006 when strict validation fails", async () => {
    const unsigned = `<soapenv:Envelope xmlns:soapenv="${NS.soap}"><soapenv:Body>${buildStsRequest({
      identificationCertDer: c.personal.certificateDer,
      holderOfKeyCertDer: c.organisation.certificateDer,
      holder: { ssin: c.pki.holder.ssin },
      user: { ssin: c.pki.holder.ssin },
      pharmacy: { nihii: c.pki.pharmacy.nihii },
      now: NOW,
      lifetimeHours: 1,
    })}</soapenv:Body></soapenv:Envelope>`;
    const fault = await call(config(), unsigned);
    expect(fault.status).toBe(500);
    expect(fault.body).toContain("<Code>SOA-01001</Code>");
    const strict = await call(config({ validate: () => Promise.resolve({ ok: false }) }), await message());
    expect(strict.body).toContain("<Code>SOA-03006</Code>");
  });
});
