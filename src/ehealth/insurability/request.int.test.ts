import { describe, expect, it } from "vitest";
import { xmllintValidate } from "../../../tests/support/xmltools.js";
import { parseXml } from "../xml/parse.js";
import { soapPayload } from "../xml/soap.js";
import { NS } from "../xml/namespaces.js";
import { buildInsurabilityRequest, insurabilityRequestPayload, readInsurabilityRequest } from "./request.js";
import type { InsurabilityRequestInput } from "./request.js";

const XSD = "insurabilityservices_protocol-2_0.xsd";

const base: InsurabilityRequestInput = {
  reference: "12345678901234",
  userReference: "ticket-0001",
  date: "2025-03-10",
  patient: { niss: "75061512374" },
  holder: { nihii: "25034700142", ssin: "78042312493", name: "Anne Dupont & Co" },
  pharmacy: { nihii: "61342514", name: "Pharmacie <du> Parc" },
  package: { name: "mcn-rights", licenseUser: "user", licensePassword: "p&ss'word" },
  isTest: false,
};

describe("buildInsurabilityRequest", () => {
  it("validates against the XSD for a patient identified by NISS", () => {
    const check = xmllintValidate(insurabilityRequestPayload(base), XSD);
    expect(check.ok, check.output).toBe(true);
  });

  it("validates for mutuality + registration number, the registration number kept verbatim", () => {
    const input = { ...base, patient: { mutuality: "120", registrationNumber: " 000113 044M8" } };
    const payload = insurabilityRequestPayload(input);
    const check = xmllintValidate(payload, XSD);
    expect(check.ok, check.output).toBe(true);
    expect(payload).toContain(
      "<ic:RegNrWithMut> 000113 044M8</ic:RegNrWithMut><ic:Mutuality>120</ic:Mutuality>",
    );
  });

  it("the envelope's Body holds exactly the payload, without Header or Body Id (the signer adds them)", () => {
    const envelope = buildInsurabilityRequest(base);
    const doc = parseXml(envelope);
    expect(doc.documentElement?.namespaceURI).toBe(NS.soap);
    expect(envelope).not.toContain("Header");
    expect(envelope).toMatch(/<soap:Body>/);
    expect(soapPayload(doc)?.localName).toBe("GetInsurabilityForPharmacistRequest");
  });

  it("carries the qualities PHARMACY-HOLDER and PHARMACY and escapes the text", () => {
    const payload = insurabilityRequestPayload(base);
    expect(payload).toContain("<ic:Quality>PHARMACY-HOLDER</ic:Quality><ic:Value>25034700142</ic:Value>");
    expect(payload).toContain("<ic:Quality>PHARMACY</ic:Quality><ic:Value>61342514</ic:Value>");
    expect(payload).toContain("Pharmacie &lt;du&gt; Parc");
    expect(payload).toContain("p&amp;ss&apos;word");
  });

  it("reads back what it wrote (the simulator's side)", () => {
    for (const patient of [base.patient, { mutuality: "319", registrationNumber: "0001 13 NB7X" }]) {
      const doc = parseXml(buildInsurabilityRequest({ ...base, patient, requestType: "2" }));
      const payload = soapPayload(doc);
      if (!payload) throw new Error("no payload");
      const read = readInsurabilityRequest(payload);
      expect(read).toEqual({
        isTest: "false",
        package: { name: "mcn-rights", licenseUser: "user", licensePassword: "p&ss'word" },
        holder: {
          quality: "PHARMACY-HOLDER",
          nihii: "25034700142",
          ssin: "78042312493",
          name: "Anne Dupont & Co",
        },
        pharmacy: { quality: "PHARMACY", nihii: "61342514", name: "Pharmacie <du> Parc" },
        reference: "12345678901234",
        userReference: "ticket-0001",
        date: "2025-03-10",
        requestType: "2",
        patient,
      });
    }
  });

  it("readInsurabilityRequest ignores another operation", () => {
    const doc = parseXml(`<x:Other xmlns:x="${NS.insProtocol}"/>`);
    if (!doc.documentElement) throw new Error("no root");
    expect(readInsurabilityRequest(doc.documentElement)).toBeUndefined();
  });

  it("refuses inputs no caller should pass (programming errors)", () => {
    expect(() => insurabilityRequestPayload({ ...base, reference: "123456789012345" })).toThrow(RangeError);
    expect(() => insurabilityRequestPayload({ ...base, reference: "12a" })).toThrow(RangeError);
    expect(() => insurabilityRequestPayload({ ...base, userReference: "x".repeat(26) })).toThrow(RangeError);
    expect(() => insurabilityRequestPayload({ ...base, requestType: "12" })).toThrow(RangeError);
  });
});
