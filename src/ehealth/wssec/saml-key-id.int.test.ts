import { beforeAll, describe, expect, it } from "vitest";
import { xmlsecVerify } from "../../../tests/support/xmltools.js";
import type { MemorySigner } from "../keys/memory.js";
import { createHash } from "node:crypto";
import { NS } from "../xml/namespaces.js";
import { child, parseXml } from "../xml/parse.js";
import { exclusiveC14n } from "./exclusive-signature.js";
import { credentials } from "./__fixtures__/credentials.js";
import { WsSecurityRejected } from "./rejected.js";
import { signWithSamlKeyId } from "./saml-key-id.js";
import { verifySamlKeyIdSignature } from "./verify.js";

const NOW = new Date("2025-03-10T08:00:00.000Z");
const ENVELOPE =
  `<soap:Envelope xmlns:soap="${NS.soap}"><soap:Body>` +
  `<p:Ping xmlns:p="urn:test">hello</p:Ping></soap:Body></soap:Envelope>`;

// Formatting a re-serialiser would change: single quotes, line breaks inside tags, a comment.
const assertionFor = (hok: Buffer, id = "_a1b2c3") =>
  `<saml:Assertion xmlns:saml='${NS.saml}' xmlns:ds="${NS.ds}"\n    MajorVersion="1" MinorVersion="1" AssertionID="${id}" Issuer="urn:be:fgov:ehealth:sts:1_0" IssueInstant="2025-03-10T07:59:00Z">` +
  `<saml:Conditions NotBefore="2025-03-10T07:59:00Z" NotOnOrAfter="2025-03-10T19:59:00Z" ></saml:Conditions><!-- kept -->` +
  `<saml:AuthenticationStatement AuthenticationMethod="urn:oasis:names:tc:SAML:1.0:am:X509-PKI" AuthenticationInstant="2025-03-10T07:59:00Z">` +
  `<saml:Subject><saml:NameIdentifier>CN=x</saml:NameIdentifier><saml:SubjectConfirmation>` +
  `<saml:ConfirmationMethod>urn:oasis:names:tc:SAML:1.0:cm:holder-of-key</saml:ConfirmationMethod>` +
  `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${hok.toString("base64")}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>` +
  `</saml:SubjectConfirmation></saml:Subject></saml:AuthenticationStatement></saml:Assertion>`;

let organisationPem: string;
let hok: MemorySigner;
let personal: MemorySigner;

beforeAll(() => {
  const c = credentials();
  organisationPem = c.pki.organisation.certPem;
  hok = c.organisation;
  personal = c.personal;
});

function rejection(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof WsSecurityRejected) return error.reason;
    throw error;
  }
  return "accepted";
}

describe("signWithSamlKeyId", () => {
  it("carries the assertion verbatim before the signature, and xmlsec1 verifies the signature", async () => {
    const assertion = assertionFor(hok.certificateDer);
    const signed = await signWithSamlKeyId(ENVELOPE, assertion, hok, { now: NOW });
    expect(signed).toContain(assertion);
    expect(signed.indexOf("</wsu:Timestamp>")).toBeLessThan(signed.indexOf(assertion));
    expect(signed.indexOf(assertion)).toBeLessThan(signed.indexOf("<ds:Signature"));
    expect(signed).not.toContain("BinarySecurityToken");
    expect(signed).toContain(
      `ValueType="http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.0#SAMLAssertionID">_a1b2c3<`,
    );
    const check = xmlsecVerify(signed, {
      idAttributes: [
        ["Id", "Body"],
        ["Id", "Timestamp"],
      ],
      publicKeyCertificatePem: organisationPem,
      nodeXpath: "//*[local-name()='Security']/*[local-name()='Signature']",
    });
    expect(check.ok, check.output).toBe(true);
    expect(check.output).toContain("SignedInfo References (ok/all): 2/2");
  });

  it("passes the signer's failure on (a closed token, a pulled card)", async () => {
    const failing = {
      ...hok,
      kind: hok.kind,
      certificateDer: hok.certificateDer,
      sign: () => Promise.reject(new Error("card removed")),
      close: () => Promise.resolve(),
    };
    await expect(
      signWithSamlKeyId(ENVELOPE, assertionFor(hok.certificateDer), failing, { now: NOW }),
    ).rejects.toThrow("card removed");
  });

  it("refuses something that is not an assertion", async () => {
    await expect(signWithSamlKeyId(ENVELOPE, "<x AssertionID='1'/>", hok, { now: NOW })).rejects.toThrow(
      TypeError,
    );
    await expect(
      signWithSamlKeyId(ENVELOPE, `<?xml version="1.0"?>${assertionFor(hok.certificateDer)}`, hok, {
        now: NOW,
      }),
    ).rejects.toThrow(TypeError);
    await expect(
      signWithSamlKeyId(ENVELOPE, `<saml:Assertion xmlns:saml="${NS.saml}"/>`, hok, { now: NOW }),
    ).rejects.toThrow(TypeError);
  });
});

describe("verifySamlKeyIdSignature", () => {
  it("accepts our message and returns the assertion and the holder-of-key certificate", async () => {
    const signed = await signWithSamlKeyId(ENVELOPE, assertionFor(hok.certificateDer), hok, { now: NOW });
    const { assertion, holderCertificateDer } = verifySamlKeyIdSignature(signed, { now: NOW });
    expect(assertion.getAttribute("AssertionID")).toBe("_a1b2c3");
    expect(holderCertificateDer.equals(hok.certificateDer)).toBe(true);
  });

  it("rejects a signature by a key other than the assertion's holder-of-key", async () => {
    const signed = await signWithSamlKeyId(ENVELOPE, assertionFor(hok.certificateDer), personal, {
      now: NOW,
    });
    expect(rejection(() => verifySamlKeyIdSignature(signed, { now: NOW }))).toBe("signature-invalid");
  });

  it("rejects an edited Body or Timestamp, an expired Timestamp", async () => {
    const signed = await signWithSamlKeyId(ENVELOPE, assertionFor(hok.certificateDer), hok, { now: NOW });
    expect(
      rejection(() => verifySamlKeyIdSignature(signed.replace(">hello<", ">hullo<"), { now: NOW })),
    ).toBe("signature-invalid");
    expect(
      rejection(() =>
        verifySamlKeyIdSignature(
          signed.replace("08:00:00.000Z</wsu:Created>", "07:59:59.000Z</wsu:Created>"),
          { now: NOW },
        ),
      ),
    ).toBe("signature-invalid");
    expect(
      rejection(() => verifySamlKeyIdSignature(signed, { now: new Date(NOW.getTime() + 5 * 60_000) })),
    ).toBe("timestamp-expired");
  });

  it("rejects a KeyIdentifier that does not name the assertion, and a missing assertion", async () => {
    const signed = await signWithSamlKeyId(ENVELOPE, assertionFor(hok.certificateDer), hok, { now: NOW });
    const renamed = signed.replace('AssertionID="_a1b2c3"', 'AssertionID="_other"');
    expect(rejection(() => verifySamlKeyIdSignature(renamed, { now: NOW }))).toBe("token-missing");
    const withoutAssertion = signed.replace(assertionFor(hok.certificateDer), "");
    expect(rejection(() => verifySamlKeyIdSignature(withoutAssertion, { now: NOW }))).toBe("token-missing");
  });

  it("rejects an edited Body whose digest was recomputed: SignedInfo no longer matches its signature", async () => {
    const signed = await signWithSamlKeyId(ENVELOPE, assertionFor(hok.certificateDer), hok, { now: NOW });
    const edited = signed.replace(">hello<", ">hullo<");
    const digestOf = (xml: string) => {
      const root = parseXml(xml).documentElement;
      const body = root && child(root, NS.soap, "Body");
      if (!body) throw new Error("no Body");
      return createHash("sha256").update(exclusiveC14n(body), "utf8").digest("base64");
    };
    expect(signed).toContain(`<ds:DigestValue>${digestOf(signed)}</ds:DigestValue>`);
    const forged = edited.replace(digestOf(signed), digestOf(edited));
    expect(forged).toContain(`<ds:DigestValue>${digestOf(edited)}</ds:DigestValue>`);
    expect(rejection(() => verifySamlKeyIdSignature(forged, { now: NOW }))).toBe("signature-invalid");
  });

  it("rejects the SignatureValue of another message by the same key", async () => {
    const assertion = assertionFor(hok.certificateDer);
    const one = await signWithSamlKeyId(ENVELOPE, assertion, hok, { now: NOW });
    const other = await signWithSamlKeyId(ENVELOPE, assertion, hok, { now: NOW });
    const valueOf = (xml: string) => /<ds:SignatureValue>([^<]*)</.exec(xml)?.[1] ?? "";
    expect(valueOf(one)).not.toBe(valueOf(other));
    const swapped = one.replace(valueOf(one), valueOf(other));
    expect(rejection(() => verifySamlKeyIdSignature(swapped, { now: NOW }))).toBe("signature-invalid");
    expect(rejection(() => verifySamlKeyIdSignature(one, { now: NOW }))).toBe("accepted");
  });

  it("rejects an assertion swapped for one naming another holder", async () => {
    const signed = await signWithSamlKeyId(ENVELOPE, assertionFor(hok.certificateDer), hok, { now: NOW });
    const swapped = signed.replace(assertionFor(hok.certificateDer), assertionFor(personal.certificateDer));
    expect(rejection(() => verifySamlKeyIdSignature(swapped, { now: NOW }))).toBe("signature-invalid");
  });
});
