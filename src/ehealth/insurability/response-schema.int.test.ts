// The structural validator against xmllint and the official XSD: the same verdict on the
// reference sample and on mutations of it (each one breaking, or keeping, one rule of the schema).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SAMPLES_DIR, xmllintValidate } from "../../../tests/support/xmltools.js";
import { validateInsurabilityResponse } from "./response-schema.js";

const XSD = "insurabilityservices_protocol-2_0.xsd";
const sample = readFileSync(
  join(SAMPLES_DIR, "insurability-pharmacist-GetInsurabilityForPharmacistResponse-v2.synthetic.xml"),
  "utf8",
);
const v1Mock = readFileSync(
  join(SAMPLES_DIR, "insurability-pharmacist-response-mock-v1.from-recipe-connector.xml"),
  "utf8",
);

const swap = (from: string | RegExp, to: string) => (xml: string) => {
  const out = xml.replace(from, to);
  if (out === xml) throw new Error(`mutation did not apply: ${String(from)}`);
  return out;
};

// [name, mutation, valid per the XSD]
const MUTATIONS: Array<[string, (xml: string) => string, boolean]> = [
  ["the sample itself", (x) => x, true],
  ["without Status", swap(/<Status>[\s\S]*?<\/Status>/, ""), false],
  [
    "only Status (the optional sequence absent)",
    swap(/<ins:CommonOutput>[\s\S]*<\/ins:InsurabilityResponse>/, ""),
    true,
  ],
  [
    "without InsurabilityResponse",
    swap(/<ins:InsurabilityResponse>[\s\S]*<\/ins:InsurabilityResponse>/, ""),
    false,
  ],
  [
    "a 31-character PaymentApproval",
    swap("39600121923C557676D835909102871A", "39600121923C557676D835909102871"),
    false,
  ],
  [
    "a 33-character PaymentApproval",
    swap("39600121923C557676D835909102871A", "39600121923C557676D835909102871AB"),
    false,
  ],
  ["a 9-character seed", swap("5765675776", "576567577"), false],
  [
    "no InvoicingOfficeCheckDigit",
    swap(/<ic:InvoicingOfficeCheckDigit>SR<\/ic:InvoicingOfficeCheckDigit>/, ""),
    false,
  ],
  ["no PaymentApproval (optional)", swap(/<ic:PaymentApproval>[^<]*<\/ic:PaymentApproval>/, ""), true],
  ["Sex outside its enumeration", swap("<ic:Sex>female</ic:Sex>", "<ic:Sex>unknown</ic:Sex>"), false],
  [
    "Sex with a space (xs:string keeps it)",
    swap("<ic:Sex>female</ic:Sex>", "<ic:Sex> female</ic:Sex>"),
    false,
  ],
  [
    "an unknown element in CareReceiver",
    swap("<ic:Sex>female</ic:Sex>", "<ic:Sex>female</ic:Sex><ic:Nickname>x</ic:Nickname>"),
    false,
  ],
  [
    "FirstName after LastName",
    swap(
      "<ic:FirstName>JANE</ic:FirstName>\n      <ic:LastName>DOE</ic:LastName>",
      "<ic:LastName>DOE</ic:LastName><ic:FirstName>JANE</ic:FirstName>",
    ),
    false,
  ],
  ["two CareReceivers", swap(/(<ic:CareReceiver>[\s\S]*?<\/ic:CareReceiver>)/, "$1$1"), false],
  [
    "a month 13",
    swap("<ic:Requested>2024-01-15</ic:Requested>", "<ic:Requested>2024-13-15</ic:Requested>"),
    false,
  ],
  [
    "30 February",
    swap("<ic:Requested>2024-01-15</ic:Requested>", "<ic:Requested>2024-02-30</ic:Requested>"),
    false,
  ],
  [
    "29 February of a leap year",
    swap("<ic:Requested>2024-01-15</ic:Requested>", "<ic:Requested>2024-02-29</ic:Requested>"),
    true,
  ],
  [
    "a date with a time zone",
    swap("<ic:Birthday>1980-01-01</ic:Birthday>", "<ic:Birthday>1980-01-01Z</ic:Birthday>"),
    true,
  ],
  // XSD 1.0 says xs:date collapses its whitespace; libxml2 refuses it, and so do we (xmllint is the reference here).
  [
    "a date with spaces around it",
    swap("<ic:Requested>2024-01-15</ic:Requested>", "<ic:Requested>  2024-01-15 </ic:Requested>"),
    false,
  ],
  [
    "a date-time where a date goes",
    swap("<ic:Requested>2024-01-15</ic:Requested>", "<ic:Requested>2024-01-15T10:00:00</ic:Requested>"),
    false,
  ],
  [
    "MultipleIO with known insurers",
    swap("</ic:ReturnCode>", "</ic:ReturnCode><ic:MultipleIO>1 3</ic:MultipleIO>"),
    true,
  ],
  [
    "MultipleIO with an unknown insurer",
    swap("</ic:ReturnCode>", "</ic:ReturnCode><ic:MultipleIO>1 7</ic:MultipleIO>"),
    false,
  ],
  [
    "a record reference with a letter",
    swap("<ic:Reference>20240115103000</ic:Reference>", "<ic:Reference>2024011510300A</ic:Reference>"),
    false,
  ],
  [
    "a negative record reference",
    swap("<ic:Reference>20240115103000</ic:Reference>", "<ic:Reference>-1</ic:Reference>"),
    false,
  ],
  [
    "a record reference over its maximum",
    swap("<ic:Reference>20240115103000</ic:Reference>", "<ic:Reference>100000000000000</ic:Reference>"),
    false,
  ],
  ["a 13-character platform reference", swap("PRIG0000006400", "PRIG000000640"), false],
  [
    "an element of the protocol namespace where the core one goes",
    swap(/<ic:CareReceiver>([\s\S]*?)<\/ic:CareReceiver>/, "<ins:CareReceiver>$1</ins:CareReceiver>"),
    false,
  ],
  [
    "a 2-character mutuality",
    swap("<ic:Mutuality>319</ic:Mutuality>", "<ic:Mutuality>31</ic:Mutuality>"),
    false,
  ],
  ["a 10-character SSIN", swap("<ic:Ssin>80010100107</ic:Ssin>", "<ic:Ssin>8001010010</ic:Ssin>"), false],
  [
    "a 25-character first name",
    swap("<ic:FirstName>JANE</ic:FirstName>", `<ic:FirstName>${"J".repeat(25)}</ic:FirstName>`),
    false,
  ],
  [
    "a 24-character first name",
    swap("<ic:FirstName>JANE</ic:FirstName>", `<ic:FirstName>${"J".repeat(24)}</ic:FirstName>`),
    true,
  ],
  ["text inside Coverage", swap("<ic:Coverage>", "<ic:Coverage>oops"), false],
  [
    "an element inside a simple value",
    swap("<ic:Ssin>80010100107</ic:Ssin>", "<ic:Ssin><ic:X/></ic:Ssin>"),
    false,
  ],
  ["an unknown attribute", swap("<ic:CareReceiver>", '<ic:CareReceiver extra="1">'), false],
  [
    "an Id on the response (ResponseType)",
    swap("<ins:GetInsurabilityForPharmacistResponse ", '<ins:GetInsurabilityForPharmacistResponse Id="r1" '),
    true,
  ],
  [
    "a message language outside its list",
    swap("<Message>Success</Message>", '<Message Lang="XX">Success</Message>'),
    false,
  ],
  [
    "a message language of the list",
    swap("<Message>Success</Message>", '<Message Lang="FR">Succès</Message>'),
    true,
  ],
  ["Coverage without Period", swap(/<ic:Period>[\s\S]*?<\/ic:Period>/, ""), false],
  [
    "a regime with a capital",
    swap(
      "<ic:ThirdPartyPayerRegime>standard</ic:ThirdPartyPayerRegime>",
      "<ic:ThirdPartyPayerRegime>Standard</ic:ThirdPartyPayerRegime>",
    ),
    false,
  ],
  ["a 4-digit CT1", swap("<ic:Code1>110</ic:Code1>", "<ic:Code1>1100</ic:Code1>"), false],
  ["a 4-character return detail", swap("<ic:Detail>00000</ic:Detail>", "<ic:Detail>0000</ic:Detail>"), false],
  [
    "Status in a namespace",
    swap(/<Status>([\s\S]*?)<\/Status>/, '<s:Status xmlns:s="urn:x">$1</s:Status>'),
    false,
  ],
  [
    "an empty ExtendedInformation",
    swap("</ins:InsurabilityResponse>", "</ins:InsurabilityResponse><ins:ExtendedInformation/>"),
    true,
  ],
  [
    "a SAML attribute without Name",
    swap(
      "</ins:InsurabilityResponse>",
      '</ins:InsurabilityResponse><ins:ExtendedInformation><saml:Attribute xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"/></ins:ExtendedInformation>',
    ),
    false,
  ],
  [
    "a SAML attribute with a value",
    swap(
      "</ins:InsurabilityResponse>",
      '</ins:InsurabilityResponse><ins:ExtendedInformation><saml:Attribute xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" Name="a"><saml:AttributeValue>v</saml:AttributeValue></saml:Attribute></ins:ExtendedInformation>',
    ),
    true,
  ],
  [
    "something after InsurabilityResponse",
    swap("</ins:InsurabilityResponse>", "</ins:InsurabilityResponse><ins:Other/>"),
    false,
  ],
];

describe("validateInsurabilityResponse agrees with xmllint on the official XSD", () => {
  it.each(MUTATIONS)("%s", (_name, mutate, valid) => {
    const xml = mutate(sample);
    const reference = xmllintValidate(xml, XSD);
    expect(reference.ok, reference.output).toBe(valid);
    const ours = validateInsurabilityResponse(xml);
    expect(ours.ok, ours.ok ? "valid" : JSON.stringify(ours.detail)).toBe(valid);
  });

  it("refuses the Recip-e connector's v1 mock (other namespace, 31-character approval), as xmllint does", () => {
    expect(xmllintValidate(v1Mock, XSD).ok).toBe(false);
    expect(validateInsurabilityResponse(v1Mock)).toMatchObject({ ok: false, code: "IMPORT_XSD_INVALID" });
  });

  it("reads the element inside a SOAP envelope, and only alone in its Body", () => {
    const body = sample.replace(/^<\?xml[^>]*>/, "").replace(/<!--[\s\S]*?-->/, "");
    const soap = (inner: string) =>
      `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><a:MessageID xmlns:a="http://www.w3.org/2005/08/addressing">uuid:1</a:MessageID></s:Header><s:Body>${inner}</s:Body></s:Envelope>`;
    expect(validateInsurabilityResponse(soap(body)).ok).toBe(true);
    expect(validateInsurabilityResponse(soap(`${body}<x/>`)).ok).toBe(false);
    expect(validateInsurabilityResponse("<not-xml").ok).toBe(false);
    expect(validateInsurabilityResponse('<!DOCTYPE x [<!ENTITY a "b">]><x/>').ok).toBe(false);
  });
});
