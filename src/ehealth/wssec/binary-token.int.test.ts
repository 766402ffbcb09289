import { XMLSerializer } from "@xmldom/xmldom";
import { beforeAll, describe, expect, it } from "vitest";
import { xmllintValidate, xmlsecVerify } from "../../../tests/support/xmltools.js";
import type { MemorySigner } from "../keys/memory.js";
import { NS } from "../xml/namespaces.js";
import { descendants, parseXml } from "../xml/parse.js";
import { credentials } from "./__fixtures__/credentials.js";
import { signWithBinaryToken } from "./binary-token.js";
import { WsSecurityRejected } from "./rejected.js";
import { verifyBinaryTokenSignature } from "./verify.js";

const NOW = new Date("2025-03-10T08:00:00.000Z");
const ENVELOPE =
  `<soapenv:Envelope xmlns:soapenv="${NS.soap}"><soapenv:Body>` +
  `<Test xmlns="http://www.example.com" a="1 &amp; 2">x &lt; y</Test></soapenv:Body></soapenv:Envelope>`;

let personalPem: string;
let signer: MemorySigner;
let other: MemorySigner;

beforeAll(() => {
  const c = credentials();
  personalPem = c.pki.personal.certPem;
  signer = c.personal;
  other = c.organisation;
});

const xmlsec = (xml: string, pem = personalPem) =>
  xmlsecVerify(xml, {
    idAttributes: [
      ["Id", "Body"],
      ["Id", "Timestamp"],
      ["Id", "BinarySecurityToken"],
    ],
    publicKeyCertificatePem: pem,
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

describe("signWithBinaryToken", () => {
  it("produces a header that xmlsec1 verifies and the secext XSD accepts", async () => {
    const signed = await signWithBinaryToken(ENVELOPE, signer, { now: NOW });
    const check = xmlsec(signed);
    expect(check.ok, check.output).toBe(true);
    expect(check.output).toContain("SignedInfo References (ok/all): 3/3");

    const doc = parseXml(signed);
    const security = descendants(doc, NS.wsse, "Security")[0];
    expect(security?.getAttributeNS(NS.soap, "mustUnderstand")).toBe("1");
    const valid = xmllintValidate(
      new XMLSerializer().serializeToString(security!),
      "oasis-200401-wss-wssecurity-secext-1.0.xsd",
    );
    expect(valid.ok, valid.output).toBe(true);
  });

  it("stamps Created = now and Expires = now + ttl", async () => {
    const signed = await signWithBinaryToken(ENVELOPE, signer, { now: NOW, ttlSeconds: 120 });
    expect(signed).toContain("<wsu:Created>2025-03-10T08:00:00.000Z</wsu:Created>");
    expect(signed).toContain("<wsu:Expires>2025-03-10T08:02:00.000Z</wsu:Expires>");
  });

  it("keeps existing header blocks and works with a self-closing Header or a default namespace", async () => {
    const withHeader = ENVELOPE.replace(
      "<soapenv:Body>",
      `<soapenv:Header><h:Trace xmlns:h="urn:t">1</h:Trace></soapenv:Header><soapenv:Body>`,
    );
    const selfClosing = ENVELOPE.replace("<soapenv:Body>", "<soapenv:Header/><soapenv:Body>");
    const defaultNs = `<Envelope xmlns="${NS.soap}"><Body><t:Test xmlns:t="urn:t"/></Body></Envelope>`;
    for (const envelope of [withHeader, selfClosing, defaultNs]) {
      const signed = await signWithBinaryToken(envelope, signer, { now: NOW });
      expect(xmlsec(signed).ok).toBe(true);
      expect(
        verifyBinaryTokenSignature(signed, { now: NOW }).certificateDer.equals(signer.certificateDer),
      ).toBe(true);
    }
    expect(await signWithBinaryToken(withHeader, signer, { now: NOW })).toContain(
      '<h:Trace xmlns:h="urn:t">1</h:Trace>',
    );
  });

  it("refuses what is not a SOAP 1.1 envelope", async () => {
    await expect(signWithBinaryToken("<a/>", signer, { now: NOW })).rejects.toThrow(TypeError);
    await expect(
      signWithBinaryToken(ENVELOPE.replace(NS.soap, "http://www.w3.org/2003/05/soap-envelope"), signer, {
        now: NOW,
      }),
    ).rejects.toThrow(TypeError);
  });
});

describe("verifyBinaryTokenSignature", () => {
  it("accepts our message and returns the signing certificate", async () => {
    const signed = await signWithBinaryToken(ENVELOPE, signer, { now: NOW });
    const { certificateDer, document } = verifyBinaryTokenSignature(signed, {
      now: new Date(NOW.getTime() + 30_000),
    });
    expect(certificateDer.equals(signer.certificateDer)).toBe(true);
    expect(descendants(document, "http://www.example.com", "Test")).toHaveLength(1);
  });

  it("rejects an edited Body, an edited Timestamp, a swapped token", async () => {
    const signed = await signWithBinaryToken(ENVELOPE, signer, { now: NOW });
    const body = signed.replace("x &lt; y", "x &lt; z");
    expect(rejection(() => verifyBinaryTokenSignature(body, { now: NOW }))).toBe("signature-invalid");
    expect(xmlsec(body).ok).toBe(false);

    const timestamp = signed.replace("08:01:00.000Z", "09:01:00.000Z");
    expect(timestamp).not.toBe(signed);
    expect(rejection(() => verifyBinaryTokenSignature(timestamp, { now: NOW }))).toBe("signature-invalid");
    expect(xmlsec(timestamp).ok).toBe(false);

    const token = signed.replace(
      signer.certificateDer.toString("base64"),
      other.certificateDer.toString("base64"),
    );
    expect(rejection(() => verifyBinaryTokenSignature(token, { now: NOW }))).toBe("signature-invalid");
  });

  it("rejects a message re-signed by another key that keeps the original token", async () => {
    const forged = await signWithBinaryToken(ENVELOPE, other, { now: NOW });
    const otherB64 = other.certificateDer.toString("base64");
    const lying = forged.replace(otherB64, signer.certificateDer.toString("base64"));
    expect(rejection(() => verifyBinaryTokenSignature(lying, { now: NOW }))).toBe("signature-invalid");
  });

  it("rejects signature wrapping: the signed Body moved into the header, a new Body in its place", async () => {
    const signed = await signWithBinaryToken(ENVELOPE, signer, { now: NOW });
    const bodyStart = signed.indexOf("<soapenv:Body");
    const originalBody = signed.slice(bodyStart, signed.indexOf("</soapenv:Envelope>"));
    const wrapper = `<w:Wrapper xmlns:w="urn:evil">${originalBody.replace(/soapenv:Body/g, "w:Body")}</w:Wrapper>`;
    const evilBody = `<soapenv:Body><Test xmlns="http://www.example.com">evil</Test></soapenv:Body>`;
    const wrapped =
      signed.slice(0, bodyStart).replace("</soapenv:Header>", `${wrapper}</soapenv:Header>`) +
      evilBody +
      "</soapenv:Envelope>";
    expect(rejection(() => verifyBinaryTokenSignature(wrapped, { now: NOW }))).toBe("reference-missing");

    // Same, but the new Body also claims the signed identifier.
    const bodyId = /wsu:Id="(id-[^"]+)"/.exec(originalBody)?.[1] ?? "";
    const twin = wrapped.replace("<soapenv:Body>", `<soapenv:Body xmlns:wsu="${NS.wsu}" wsu:Id="${bodyId}">`);
    expect(rejection(() => verifyBinaryTokenSignature(twin, { now: NOW }))).toBe("malformed");
  });

  it("rejects a Timestamp that expired or that is not yet valid, and a missing Timestamp", async () => {
    const signed = await signWithBinaryToken(ENVELOPE, signer, { now: NOW });
    const later = new Date(NOW.getTime() + 60_000 + 61_000);
    expect(rejection(() => verifyBinaryTokenSignature(signed, { now: later }))).toBe("timestamp-expired");
    expect(rejection(() => verifyBinaryTokenSignature(signed, { now: later, maxSkewSeconds: 120 }))).toBe(
      "accepted",
    );
    const earlier = new Date(NOW.getTime() - 61_000);
    expect(rejection(() => verifyBinaryTokenSignature(signed, { now: earlier }))).toBe("timestamp-expired");

    const noTimestamp = signed.replace(/<wsu:Timestamp[\s\S]*?<\/wsu:Timestamp>/, "");
    expect(rejection(() => verifyBinaryTokenSignature(noTimestamp, { now: NOW }))).toBe("timestamp-missing");
  });

  it("rejects a message without token, without Security, or not XML", async () => {
    const signed = await signWithBinaryToken(ENVELOPE, signer, { now: NOW });
    const noToken = signed.replace(/<wsse:BinarySecurityToken[\s\S]*?<\/wsse:BinarySecurityToken>/, "");
    expect(rejection(() => verifyBinaryTokenSignature(noToken, { now: NOW }))).toBe("token-missing");
    expect(rejection(() => verifyBinaryTokenSignature(ENVELOPE, { now: NOW }))).toBe("token-missing");
    expect(rejection(() => verifyBinaryTokenSignature("<a><b></a>", { now: NOW }))).toBe("malformed");
    expect(rejection(() => verifyBinaryTokenSignature(`<!DOCTYPE x []>${signed}`, { now: NOW }))).toBe(
      "malformed",
    );
  });

  it("rejects a signature that leaves the token out or adds another reference", async () => {
    const signed = await signWithBinaryToken(ENVELOPE, signer, { now: NOW });
    const bstRef = /<ds:Reference URI="#X509-[\s\S]*?<\/ds:Reference>/.exec(signed)?.[0] ?? "";
    expect(bstRef).not.toBe("");
    expect(rejection(() => verifyBinaryTokenSignature(signed.replace(bstRef, ""), { now: NOW }))).toBe(
      "reference-missing",
    );
    expect(
      rejection(() => verifyBinaryTokenSignature(signed.replace(bstRef, bstRef + bstRef), { now: NOW })),
    ).toBe("malformed");
  });
});
