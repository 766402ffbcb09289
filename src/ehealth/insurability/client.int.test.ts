// What the daemon actually sends to MyCareNet, checked by independent tools: the payload
// validates against the official XSD (xmllint) and the holder-of-key signature verifies with
// xmlsec1 against the organisation certificate. A loopback server stands in for MyCareNet and
// keeps the bytes it received.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brusselsDay } from "../../commitment/index.js";
import { loadPkcs12 } from "../keys/pkcs12.js";
import type { Session } from "../sessions/manager.js";
import { requestStsToken } from "../sts/client.js";
import { parseXml } from "../xml/parse.js";
import { soapPayload } from "../xml/soap.js";
import { SCENARIO_NISS, startSimulator, type Simulator } from "../../simulator/index.js";
import { testPki } from "../../../tests/support/pki.js";
import { xmllintValidate, xmlsecVerify } from "../../../tests/support/xmltools.js";
import { referenceSource } from "../../consultation/reference.js";
import { createUpstream } from "./client.js";
import { XMLSerializer } from "@xmldom/xmldom";

// The header also carries the STS's signature inside the assertion: verify ours, the one
// directly under wsse:Security.
const OUR_SIGNATURE = {
  idAttributes: [
    ["Id", "Body"],
    ["Id", "Timestamp"],
  ] as const,
  nodeXpath:
    "/*[local-name()='Envelope']/*[local-name()='Header']/*[local-name()='Security']/*[local-name()='Signature']",
};

let simulator: Simulator;
let capture: Server;
let captureUrl: string;
const received: string[] = [];

beforeAll(async () => {
  simulator = await startSimulator({ dataDir: "/tmp/unused", pki: testPki(), seed: 1, strict: true });
  capture = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push(body);
      res.writeHead(503).end();
    });
  });
  await new Promise<void>((r) => capture.listen(0, "127.0.0.1", r));
  captureUrl = `http://127.0.0.1:${(capture.address() as AddressInfo).port}/Insurability/v2`;
});
afterAll(async () => {
  await simulator.stop();
  await new Promise((r) => capture.close(r));
});

async function session(): Promise<{ session: Session; organisation: ReturnType<typeof loadPkcs12> }> {
  const pki = testPki();
  const organisation = loadPkcs12(pki.organisation.p12Path, pki.organisation.password);
  const personal = loadPkcs12(pki.personal.p12Path, pki.personal.password);
  const token = await requestStsToken({
    url: simulator.stsUrl,
    identification: personal,
    holderOfKey: organisation,
    holder: { ssin: pki.holder.ssin },
    user: { ssin: pki.holder.ssin },
    pharmacy: { nihii: pki.pharmacy.nihii },
    lifetimeHours: 12,
    stsCertificateDer: Buffer.from(new (await import("node:crypto")).X509Certificate(pki.sts.certPem).raw),
    timeoutMs: 5000,
    now: new Date(),
  });
  const s: Session = {
    id: "s",
    method: "personal-certificate",
    user: { name: pki.holder.name, nihii: pki.holder.nihii, ssin: pki.holder.ssin },
    createdAt: new Date(),
    notOnOrAfter: token.notOnOrAfter,
    openedBy: "test",
    token,
  };
  return { session: s, organisation };
}

describe("the insurability request the daemon sends", () => {
  it.each([
    ["by NISS", { niss: SCENARIO_NISS.ordinary }],
    ["by mutuality and registration number", { mutuality: "132", registrationNumber: "0001 13 NB7X" }],
  ])("%s: XSD-valid, signature verified by xmlsec1, references unique", async (_label, patient) => {
    const pki = testPki();
    const { session: s, organisation } = await session();
    const upstream = createUpstream({
      url: captureUrl,
      timeoutMs: 2000,
      organisation,
      pharmacy: pki.pharmacy,
      holder: pki.holder,
      package: { name: "mcn-rights", licenseUser: "u", licensePassword: "p" },
      isTest: true,
      newReference: referenceSource(),
      clock: () => new Date(),
    });
    received.length = 0;
    const first = await upstream.ask(s, patient, brusselsDay(new Date()));
    const second = await upstream.ask(s, patient, brusselsDay(new Date()));
    expect(first).toMatchObject({ type: "outage", kind: "http-status" });
    expect(received).toHaveLength(2);
    const xml = received[0] as string;

    const payload = soapPayload(parseXml(xml));
    expect(payload?.localName).toBe("GetInsurabilityForPharmacistRequest");
    const payloadXml = new XMLSerializer().serializeToString(payload as unknown as Node);
    const xsd = xmllintValidate(payloadXml, "insurabilityservices_protocol-2_0.xsd");
    expect(xsd.ok, xsd.output).toBe(true);

    const sig = xmlsecVerify(xml, { ...OUR_SIGNATURE, publicKeyCertificatePem: pki.organisation.certPem });
    expect(sig.ok, sig.output).toBe(true);
    expect(xml).toContain("PHARMACY-HOLDER");
    expect(xml).toContain("<ic:IsTest>true</ic:IsTest>");
    expect(xml).toContain(s.token.assertionId);
    // tampering is detected by the same independent tool
    const tampered = xml.replace(/<ic:Date>[^<]+<\/ic:Date>/, "<ic:Date>2000-01-01</ic:Date>");
    expect(tampered).not.toBe(xml);
    expect(
      xmlsecVerify(tampered, { ...OUR_SIGNATURE, publicKeyCertificatePem: pki.organisation.certPem }).ok,
    ).toBe(false);
    // RecordCommonInput/Reference differs between two requests of the same second (SPEC §2)
    const refOf = (x: string) => /<ic:Reference>([0-9]+)<\/ic:Reference>/.exec(x)?.[1];
    expect(second.type).toBe("outage");
    expect(refOf(received[0] as string)).not.toBe(refOf(received[1] as string));
  });
});
