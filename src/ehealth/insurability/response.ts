// Reads what comes back from the Insurability v2 service (SPEC §2). Upstream text is hostile
// until proven otherwise: this never throws; anything it cannot vouch for is "malformed", so
// that the caller classifies it as a system error (SPEC §1.4) instead of trusting half an answer.
import { isDay } from "../../commitment/index.js";
import { NS } from "../xml/namespaces.js";
import { child, childElements, path, text, XmlRejected } from "../xml/parse.js";
import type { XmlDocument, XmlElement } from "../xml/parse.js";
import { readXml } from "../xml/read.js";
import { soapHeader, soapPayload } from "../xml/soap.js";
import { THIRD_PARTY_PAYER_REGIMES } from "../../consultation/answer.js";
import type {
  AnswerCoverage,
  AnswerPatient,
  AnswerVerification,
  InsurabilityAnswer,
  ReturnCode,
  ThirdPartyPayerRegime,
} from "../../consultation/answer.js";
import { readSoapFault } from "../xml/soap-fault.js";
import type { SoaFault } from "../xml/soap-fault.js";
import { kindOf } from "./return-codes.js";

export type ParsedResponse =
  | { type: "answer"; answer: InsurabilityAnswer }
  | { type: "fault"; fault: SoaFault }
  | { type: "malformed"; reason: string };

class Malformed extends Error {}

// SPEC §1.1: 750, 999, 100–699, 900–999.
const MUTUALITY = /^(?:750|999|[1-69][0-9]{2})$/;

const ic = (name: string): readonly [string, string] => [NS.insCore, name];
const ins = (name: string): readonly [string, string] => [NS.insProtocol, name];

export function parseInsurabilityResponse(xml: string): ParsedResponse {
  try {
    const doc = readXml(xml);
    const fault = readSoapFault(doc);
    if (fault !== undefined) return { type: "fault", fault };
    const payload = soapPayload(doc);
    if (payload === undefined) return malformed("not a SOAP 1.1 envelope with a payload");
    if (
      payload.namespaceURI !== NS.insProtocol ||
      payload.localName !== "GetInsurabilityForPharmacistResponse"
    ) {
      return malformed("the payload is not a GetInsurabilityForPharmacistResponse");
    }
    // eHealth's own Status (commons ResponseType) is unqualified; anything but 200 is the
    // platform failing without a SOAP fault.
    const status = childElements(payload).find((el) => !el.namespaceURI && el.localName === "Status");
    const statusCode = trimmed(status && childElements(status).find((el) => el.localName === "Code"));
    if (statusCode !== undefined && statusCode !== "200") {
      const fault: SoaFault = { kind: "system", code: "SOA-00001", message: `eHealth status ${statusCode}` };
      return { type: "fault", fault };
    }
    return { type: "answer", answer: readAnswer(doc, payload) };
  } catch (error) {
    if (error instanceof XmlRejected) return malformed(`XML rejected: ${error.reason}`);
    if (error instanceof Malformed) return malformed(error.message);
    return malformed("unreadable answer");
  }
}

const malformed = (reason: string): ParsedResponse => ({ type: "malformed", reason });

function readAnswer(doc: XmlDocument, payload: XmlElement): InsurabilityAnswer {
  const returnCodeEl = path(payload, ins("ReturnInfo"), ic("ReturnCode"));
  if (returnCodeEl === undefined) throw new Malformed("no ReturnInfo/ReturnCode");
  const returnCode: ReturnCode = {
    major: fixed(returnCodeEl, "Major", 2),
    minor: fixed(returnCodeEl, "Minor", 2),
    detail: fixed(returnCodeEl, "Detail", 5),
  };
  const response = child(payload, ...ins("InsurabilityResponse"));
  const coverageEl = response && child(response, ...ic("Coverage"));
  // Structure first (issue 13): a Coverage makes the answer "insured" whatever the code.
  const reading = kindOf(returnCode, { coverage: coverageEl !== undefined });
  const answer: InsurabilityAnswer = {
    returnCode,
    kind: reading.kind,
    patient: readPatient(response && child(response, ...ic("CareReceiver"))),
  };
  if (!reading.codeKnown) answer.unknownCode = true;
  const requested = day(response && child(response, ...ic("Requested")), "Requested");
  if (requested !== undefined) answer.requested = requested;
  const coverage = readCoverage(coverageEl);
  if (coverage !== undefined) answer.coverage = coverage;
  const verification = readVerification(response && child(response, ...ic("Verification")));
  if (verification !== undefined) answer.verification = verification;

  const multipleIo = trimmed(path(payload, ins("ReturnInfo"), ic("MultipleIO")));
  if (multipleIo !== undefined) {
    const ios = multipleIo.split(/\s+/).filter((s) => s !== "");
    if (!ios.every((io) => /^[1-69]$/.test(io))) throw new Malformed("MultipleIO holds an unknown insurer");
    answer.multipleIo = ios;
  }

  const refs: Array<[keyof InsurabilityAnswer, XmlElement | undefined]> = [
    ["reference", path(payload, ins("RecordCommonOutput"), ic("Reference"))],
    ["ioReference", path(payload, ins("RecordCommonOutput"), ic("IoReference"))],
    ["userReference", path(payload, ins("RecordCommonOutput"), ic("UserReference"))],
    ["platformReference", path(payload, ins("CommonOutput"), ic("Reference"))],
    ["platformIoReference", path(payload, ins("CommonOutput"), ic("IoReference"))],
  ];
  for (const [key, element] of refs) {
    const value = trimmed(element);
    if (value !== undefined) (answer as unknown as Record<string, string>)[key] = value;
  }
  const header = soapHeader(doc);
  const messageId = trimmed(header && child(header, NS.wsa, "MessageID"));
  if (messageId !== undefined) answer.messageId = messageId;

  // An "insured" answer is only worth something with its commitment and a real insurer (other
  // kinds may echo what was asked, valid or not).
  if (answer.kind === "insured") {
    if (answer.verification === undefined) throw new Malformed("Coverage without its Verification");
    if (answer.patient.mutuality !== undefined && !MUTUALITY.test(answer.patient.mutuality)) {
      throw new Malformed("insured by a mutuality that does not exist");
    }
  }
  return answer;
}

function readPatient(el: XmlElement | undefined): AnswerPatient {
  const patient: AnswerPatient = {};
  if (el === undefined) return patient;
  const niss = trimmed(child(el, ...ic("Ssin")));
  if (niss !== undefined) {
    if (!/^[0-9]{11}$/.test(niss)) throw new Malformed("CareReceiver/Ssin is not 11 digits");
    patient.niss = niss;
  }
  // The registration number is opaque: kept exactly as sent, spaces included (SPEC §1.1).
  const registrationNumber = text(child(el, ...ic("RegNrWithMut")));
  if (registrationNumber !== undefined) patient.registrationNumber = registrationNumber;
  const mutuality = trimmed(child(el, ...ic("Mutuality")));
  if (mutuality !== undefined) {
    if ([...mutuality].length !== 3) throw new Malformed("CareReceiver/Mutuality is not 3 characters");
    patient.mutuality = mutuality;
  }
  const firstName = trimmed(child(el, ...ic("FirstName")));
  if (firstName !== undefined) patient.firstName = firstName;
  const lastName = trimmed(child(el, ...ic("LastName")));
  if (lastName !== undefined) patient.lastName = lastName;
  const birthDate = day(child(el, ...ic("Birthday")), "Birthday");
  if (birthDate !== undefined) patient.birthDate = birthDate;
  const deceased = day(child(el, ...ic("Deceased")), "Deceased");
  if (deceased !== undefined) patient.deceased = deceased;
  const sex = trimmed(child(el, ...ic("Sex")));
  if (sex !== undefined) {
    if (sex !== "male" && sex !== "female")
      throw new Malformed("CareReceiver/Sex is neither male nor female");
    patient.sex = sex;
  }
  return patient;
}

function readCoverage(el: XmlElement | undefined): AnswerCoverage | undefined {
  if (el === undefined) return undefined;
  const communicated = day(child(el, ...ic("Communicated")), "Communicated");
  const start = day(path(el, ic("Period"), ic("BeginDate")), "BeginDate");
  const end = day(path(el, ic("Period"), ic("EndDate")), "EndDate");
  const entitlement = child(el, ...ic("Entitlement"));
  const ct1 = trimmed(entitlement && child(entitlement, ...ic("Code1")));
  const ct2 = trimmed(entitlement && child(entitlement, ...ic("Code2")));
  const regime = trimmed(entitlement && child(entitlement, ...ic("ThirdPartyPayerRegime")));
  if (communicated === undefined || start === undefined || end === undefined) {
    throw new Malformed("Coverage without its dates");
  }
  if (start > end) throw new Malformed("Coverage ends before it begins");
  if (ct1 === undefined || ct2 === undefined || !/^[0-9]{3}$/.test(ct1) || !/^[0-9]{3}$/.test(ct2)) {
    throw new Malformed("Entitlement codes are not 3 digits");
  }
  if (regime === undefined || !(THIRD_PARTY_PAYER_REGIMES as readonly string[]).includes(regime)) {
    throw new Malformed("ThirdPartyPayerRegime is not none, standard or elevated");
  }
  return { communicated, start, end, ct1, ct2, thirdPartyPayerRegime: regime as ThirdPartyPayerRegime };
}

function readVerification(el: XmlElement | undefined): AnswerVerification | undefined {
  if (el === undefined) return undefined;
  // Opaque values, forwarded untouched (SPEC §1.3): only their lengths are checked.
  const verification: AnswerVerification = {
    invoicingOfficeCheckDigit: fixed(el, "InvoicingOfficeCheckDigit", 2),
  };
  if (child(el, ...ic("PaymentApproval")) !== undefined) {
    verification.paymentApproval = fixed(el, "PaymentApproval", 32);
  }
  if (child(el, ...ic("PaymentApprovalSeed")) !== undefined) {
    verification.paymentApprovalSeed = fixed(el, "PaymentApprovalSeed", 10);
  }
  return verification;
}

function trimmed(el: XmlElement | undefined): string | undefined {
  const value = text(el)?.trim();
  return value === undefined || value === "" ? undefined : value;
}

/** The exact text of a fixed-length field (no trimming: spaces count on the wire). */
function fixed(parent: XmlElement, name: string, length: number): string {
  const value = text(child(parent, ...ic(name)));
  if (value === undefined || [...value].length !== length)
    throw new Malformed(`${name} is not ${length} characters`);
  return value;
}

function day(el: XmlElement | undefined, name: string): string | undefined {
  const value = trimmed(el);
  if (value === undefined) return undefined;
  if (!isDay(value)) throw new Malformed(`${name} is not a calendar day`);
  return value;
}
