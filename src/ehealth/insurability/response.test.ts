import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { XSD_DIR } from "../../../tests/support/xmltools.js";
import { NS } from "../xml/namespaces.js";
import { soapEnvelope } from "../xml/soap.js";
import type { InsurabilityAnswer } from "../../consultation/answer.js";
import { buildSoaFault } from "../xml/soap-fault.js";
import { parseInsurabilityResponse } from "./response.js";
import { buildInsurabilityResponse, insurabilityResponsePayload } from "./response-build.js";
import { returnCodeFor } from "./return-codes.js";

const insured: InsurabilityAnswer = {
  returnCode: returnCodeFor("insured"),
  kind: "insured",
  requested: "2025-03-10",
  patient: {
    niss: "75061512374",
    mutuality: "319",
    registrationNumber: "0001 13 NB7X",
    firstName: "Chloé",
    lastName: "D'Hondt & <Fils>",
    birthDate: "1975-06-15",
    sex: "female",
  },
  coverage: {
    communicated: "2025-03-10",
    start: "2025-03-01",
    end: "2025-03-31",
    ct1: "131",
    ct2: "131",
    thirdPartyPayerRegime: "elevated",
  },
  verification: {
    paymentApproval: "39600121923C557676D835909102871A",
    paymentApprovalSeed: "5765675776",
    invoicingOfficeCheckDigit: "SR",
  },
  reference: "20250310103000",
  ioReference: "7",
  userReference: "TICKET-0001",
  platformReference: "PRIG0000006400",
  platformIoReference: "00000000000007",
  messageId: "urn:uuid:0f0e0d0c-0000-4000-8000-000000000001",
};

const envelopeWith = (payload: string): string => soapEnvelope({ body: payload });

describe("parseInsurabilityResponse", () => {
  it("round-trips every field of an insured answer", () => {
    expect(parseInsurabilityResponse(buildInsurabilityResponse(insured))).toEqual({
      type: "answer",
      answer: insured,
    });
  });

  it("round-trips answers without coverage", () => {
    const answers: InsurabilityAnswer[] = [
      {
        returnCode: returnCodeFor("no-right"),
        kind: "no-right",
        requested: "2025-03-10",
        patient: { niss: "75061512374", deceased: "2025-02-18" },
      },
      {
        returnCode: returnCodeFor("multiple-insurers"),
        kind: "multiple-insurers",
        patient: {},
        multipleIo: ["1", "4"],
      },
      {
        returnCode: returnCodeFor("bad-input", "10012"),
        kind: "bad-input",
        patient: { niss: "75061512399" },
      },
      { returnCode: returnCodeFor("insurer-unavailable"), kind: "insurer-unavailable", patient: {} },
    ];
    for (const answer of answers) {
      expect(parseInsurabilityResponse(buildInsurabilityResponse(answer))).toEqual({
        type: "answer",
        answer,
      });
    }
  });

  it("round-trips any insured answer (property)", () => {
    const day = fc
      .date({
        min: new Date("1900-01-01T00:00:00Z"),
        max: new Date("2099-12-31T00:00:00Z"),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
    const printable = (max: number) =>
      fc
        .string({ unit: "grapheme", minLength: 1, maxLength: max })
        .filter(
          (s) =>
            s.trim() === s && !/[\u0000-\u001f\u007f-\u009f\ufffe\uffff]/.test(s) && [...s].length <= max,
        );
    const code3 = fc.stringMatching(/^[0-9]{3}$/);
    const answer = fc.record({
      patient: fc.record({
        firstName: printable(24),
        lastName: printable(48),
        registrationNumber: fc.stringMatching(/^[0-9A-Z ]{1,13}$/),
      }),
      start: day,
      ct1: code3,
      ct2: code3,
      regime: fc.constantFrom("none", "standard", "elevated" as const),
      approval: fc.stringMatching(/^[0-9A-Z]{32}$/),
    });
    fc.assert(
      fc.property(answer, (a) => {
        const built: InsurabilityAnswer = {
          returnCode: returnCodeFor("insured"),
          kind: "insured",
          patient: a.patient,
          coverage: {
            communicated: a.start,
            start: a.start,
            end: a.start,
            ct1: a.ct1,
            ct2: a.ct2,
            thirdPartyPayerRegime: a.regime,
          },
          verification: {
            paymentApproval: a.approval,
            paymentApprovalSeed: "0123456789",
            invoicingOfficeCheckDigit: "AB",
          },
        };
        expect(parseInsurabilityResponse(buildInsurabilityResponse(built))).toEqual({
          type: "answer",
          answer: built,
        });
      }),
    );
  });

  it("reads the reference sample", () => {
    const sample = readFileSync(
      join(
        XSD_DIR,
        "../samples/insurability-pharmacist-GetInsurabilityForPharmacistResponse-v2.synthetic.xml",
      ),
      "utf8",
    ).replace(/^<\?xml[^>]*\?>\s*(<!--[\s\S]*?-->\s*)?/, "");
    const parsed = parseInsurabilityResponse(envelopeWith(sample));
    expect(parsed).toMatchObject({
      type: "answer",
      answer: {
        kind: "insured",
        coverage: { start: "2024-01-15", end: "2024-02-13", ct1: "110", thirdPartyPayerRegime: "standard" },
        verification: {
          paymentApproval: "39600121923C557676D835909102871A",
          invoicingOfficeCheckDigit: "SR",
        },
        platformReference: "PRIG0000006400",
      },
    });
  });

  it("gives a SOAP fault as a fault, with its SOA code", () => {
    const fault = buildSoaFault({ kind: "system", code: "SOA-02002", message: "retry" });
    expect(parseInsurabilityResponse(fault)).toMatchObject({
      type: "fault",
      fault: { kind: "system", code: "SOA-02002" },
    });
  });

  it("gives an eHealth Status other than 200 as a system fault", () => {
    const payload = `<ins:GetInsurabilityForPharmacistResponse xmlns:ins="${NS.insProtocol}"><Status><Code>500</Code><Message>KO</Message></Status></ins:GetInsurabilityForPharmacistResponse>`;
    expect(parseInsurabilityResponse(envelopeWith(payload))).toMatchObject({
      type: "fault",
      fault: { kind: "system" },
    });
  });

  it("reads an unknown ReturnCode without Coverage as a business answer, flagged unknown", () => {
    const xml = buildInsurabilityResponse({
      returnCode: { major: "42", minor: "07", detail: "00000" },
      kind: "unknown",
      patient: {},
    });
    expect(parseInsurabilityResponse(xml)).toMatchObject({
      type: "answer",
      answer: { kind: "unknown", unknownCode: true, returnCode: { major: "42", minor: "07" } },
    });
  });

  it("reads the structure first: Coverage is insured whatever the code, no Coverage is not", () => {
    const odd = buildInsurabilityResponse({
      ...insured,
      returnCode: { major: "02", minor: "09", detail: "12345" },
    });
    expect(parseInsurabilityResponse(odd)).toMatchObject({
      type: "answer",
      answer: { kind: "insured", unknownCode: true, verification: insured.verification },
    });
    const bare = buildInsurabilityResponse(insured).replace(/<ic:Coverage>[\s\S]*<\/ic:Coverage>/, "");
    const parsed = parseInsurabilityResponse(bare);
    expect(parsed).toMatchObject({ type: "answer", answer: { kind: "unknown", unknownCode: true } });
    expect(parsed.type === "answer" && parsed.answer.coverage).toBe(undefined);
  });

  it("ignores elements and namespaces it does not know", () => {
    const xml = buildInsurabilityResponse(insured).replace(
      "<ins:ReturnInfo>",
      `<x:Extra xmlns:x="urn:example:future"><x:Thing>1</x:Thing></x:Extra><ins:ReturnInfo>`,
    );
    expect(xml).toContain("urn:example:future");
    expect(parseInsurabilityResponse(xml)).toEqual({ type: "answer", answer: insured });
  });

  it("never throws: anything it cannot vouch for is malformed", () => {
    const full = buildInsurabilityResponse(insured);
    const variants = [
      "",
      "not xml",
      full.slice(0, full.length / 2),
      `<!DOCTYPE x [<!ENTITY a "b">]>${full}`,
      "<x/>",
      envelopeWith(""),
      envelopeWith(`<ins:Other xmlns:ins="${NS.insProtocol}"/>`),
      full.replace(/<ins:ReturnInfo>[\s\S]*<\/ins:ReturnInfo>/, ""),
      full.replace("<ins:ReturnInfo>", "<ins:Nothing>").replace("</ins:ReturnInfo>", "</ins:Nothing>"),
      full.replace("39600121923C557676D835909102871A", "SHORT"),
      full.replace("<ic:Major>01</ic:Major>", "<ic:Major>1</ic:Major>"),
      full.replace("elevated", "generous"),
      full.replace("<ic:Code1>131</ic:Code1>", "<ic:Code1>13</ic:Code1>"),
      full.replace("<ic:BeginDate>2025-03-01</ic:BeginDate>", "<ic:BeginDate>2025-02-30</ic:BeginDate>"),
      full.replace("<ic:BeginDate>2025-03-01</ic:BeginDate>", "<ic:BeginDate>2025-04-01</ic:BeginDate>"),
      full.replace(/<ic:Verification>[\s\S]*<\/ic:Verification>/, ""),
      full.replace("<ic:Mutuality>319</ic:Mutuality>", "<ic:Mutuality>700</ic:Mutuality>"),
      full.replace("<ic:Ssin>75061512374</ic:Ssin>", "<ic:Ssin>7506151237</ic:Ssin>"),
      full.replace("<ic:Sex>female</ic:Sex>", "<ic:Sex>f</ic:Sex>"),
      buildInsurabilityResponse({
        ...insured,
        kind: "multiple-insurers",
        returnCode: returnCodeFor("multiple-insurers"),
        multipleIo: ["7"],
      }),
      `<a>${"<b>".repeat(100)}${"</b>".repeat(100)}</a>`,
    ];
    variants.forEach((xml, i) => {
      expect(xml, `variant ${i}: a replace that did not apply`).not.toBe(full);
      expect(parseInsurabilityResponse(xml).type, `variant ${i}`).toBe("malformed");
    });
  });

  it("writes the payload the XSD describes, with the namespaces on its root", () => {
    const payload = insurabilityResponsePayload(insured);
    expect(
      payload.startsWith(
        `<ins:GetInsurabilityForPharmacistResponse xmlns:ins="${NS.insProtocol}" xmlns:ic="${NS.insCore}">`,
      ),
    ).toBe(true);
    expect(buildInsurabilityResponse(insured)).toContain(`<wsa:MessageID xmlns:wsa="${NS.wsa}">urn:uuid:`);
  });
});
