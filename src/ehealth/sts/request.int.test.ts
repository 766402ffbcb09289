import { XMLSerializer } from "@xmldom/xmldom";
import { beforeAll, describe, expect, it } from "vitest";
import { xmllintValidate, xmlsecVerify } from "../../../tests/support/xmltools.js";
import { credentials, type Credentials } from "../wssec/__fixtures__/credentials.js";
import { verifyEnveloped } from "../wssec/enveloped.js";
import { verifyBinaryTokenSignature } from "../wssec/verify.js";
import { NS } from "../xml/namespaces.js";
import { child, descendants, parseXml, path } from "../xml/parse.js";
import { PHARMACY_ATTRIBUTE, PHARMACY_DESIGNATORS } from "./pharmacy-profile.js";
import { buildStsRequest, signStsRequest } from "./request.js";
import { titularTerms } from "./__fixtures__/titular.js";

const NOW = new Date("2025-03-10T08:00:00.000Z");
let c: Credentials;
beforeAll(() => {
  c = credentials();
});

const input = () => ({
  ...titularTerms(c, NOW),
  identificationCertDer: c.personal.certificateDer,
  requestId: "request-0001",
});

const serialize = (el: Element) => new XMLSerializer().serializeToString(el);

describe("buildStsRequest", () => {
  it("builds a samlp:Request the SAML 1.1 protocol XSD accepts, with the pharmacy profile", () => {
    const xml = buildStsRequest(input());
    const valid = xmllintValidate(xml, "oasis-sstc-saml-schema-protocol-1.1.xsd");
    expect(valid.ok, valid.output).toBe(true);
    const request = parseXml(xml).documentElement!;
    expect(request.getAttribute("RequestID")).toBe("request-0001");
    expect(request.getAttribute("IssueInstant")).toBe("2025-03-10T08:00:00.000Z");
    const subject = path(request, [NS.samlp, "AttributeQuery"], [NS.saml, "Subject"])!;
    const nameId = child(subject, NS.saml, "NameIdentifier")!;
    expect(nameId.getAttribute("Format")).toBe("urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName");
    expect(nameId.textContent).toContain(`SSIN=${c.pki.holder.ssin}`);
    expect(nameId.getAttribute("NameQualifier")).toContain("CN=mcn-rights Test CA");
    const hok = descendants(subject, NS.ds, "X509Certificate")[0]?.textContent;
    expect(hok).toBe(c.organisation.certificateDer.toString("base64"));
    const conditions = descendants(subject, NS.saml, "Conditions")[0]!;
    expect(conditions.getAttribute("NotOnOrAfter")).toBe("2025-03-10T20:00:00.000Z");
    const values = Object.fromEntries(
      descendants(subject, NS.saml, "Attribute").map((a) => [a.getAttribute("AttributeName"), a.textContent]),
    );
    expect(values).toEqual({
      [PHARMACY_ATTRIBUTE.certificateHolderSsin]: c.pki.holder.ssin,
      [PHARMACY_ATTRIBUTE.pharmacyNihii]: c.pki.pharmacy.nihii,
      [PHARMACY_ATTRIBUTE.personSsin]: c.pki.holder.ssin,
      [PHARMACY_ATTRIBUTE.pharmacyHolderSsin]: c.pki.holder.ssin,
    });
    expect(
      descendants(request, NS.saml, "AttributeDesignator").map((d) => d.getAttribute("AttributeName")),
    ).toEqual(PHARMACY_DESIGNATORS.map((d) => d.name));
  });

  it("escapes what it puts in attributes and text", () => {
    const xml = buildStsRequest({ ...input(), requestId: 'r"<&' });
    expect(parseXml(xml).documentElement?.getAttribute("RequestID")).toBe('r"<&');
  });
});

describe("signStsRequest", () => {
  it("signs the proof of possession and the message; xmllint and xmlsec1 agree", async () => {
    const message = await signStsRequest(
      buildStsRequest(input()),
      { identification: c.personal, holderOfKey: c.organisation },
      { now: NOW },
    );
    const doc = parseXml(message);
    const request = descendants(doc, NS.samlp, "Request")[0]!;
    const security = descendants(doc, NS.wsse, "Security")[0]!;

    // The payload with its proof of possession, and the header, against the official XSDs.
    const payload = xmllintValidate(serialize(request), "oasis-sstc-saml-schema-protocol-1.1.xsd");
    expect(payload.ok, payload.output).toBe(true);
    const header = xmllintValidate(serialize(security), "oasis-200401-wss-wssecurity-secext-1.0.xsd");
    expect(header.ok, header.output).toBe(true);

    // WS-Security signature by the identification key (the BST's certificate).
    const outer = xmlsecVerify(message, {
      idAttributes: [
        ["Id", "Body"],
        ["Id", "Timestamp"],
        ["Id", "BinarySecurityToken"],
      ],
      publicKeyCertificatePem: c.pki.personal.certPem,
    });
    expect(outer.ok, outer.output).toBe(true);
    expect(outer.output).toContain("3/3");

    // Proof of possession: the request's enveloped signature, by the organisation key, whose
    // certificate chains to the test CA.
    const inner = xmlsecVerify(message, {
      idAttributes: [["RequestID", "Request"]],
      trustedPem: [c.pki.ca.certPem],
      nodeXpath: "//*[local-name()='Request']/*[local-name()='Signature']",
    });
    expect(inner.ok, inner.output).toBe(true);
    expect(inner.output).toContain("1/1");
    const wrongKey = xmlsecVerify(message, {
      idAttributes: [["RequestID", "Request"]],
      publicKeyCertificatePem: c.pki.personal.certPem,
      nodeXpath: "//*[local-name()='Request']/*[local-name()='Signature']",
    });
    expect(wrongKey.ok).toBe(false);

    // And our own verifiers.
    expect(
      verifyBinaryTokenSignature(message, { now: NOW }).certificateDer.equals(c.personal.certificateDer),
    ).toBe(true);
    expect(() => verifyEnveloped(message, request, "RequestID", c.organisation.certificateDer)).not.toThrow();
    expect(() => verifyEnveloped(message, request, "RequestID", c.personal.certificateDer)).toThrow();
    // ds:Signature is the first child of samlp:Request, as the schema wants.
    expect(request.firstChild && (request.firstChild as Element).localName).toBe("Signature");
  });
});
