// Writes a GetInsurabilityForPharmacistResponse from an InsurabilityAnswer (protocol notes §1.4).
// The simulator's side of the wire; `parseInsurabilityResponse` reads it back.
import { escapeXml } from "../xml/escape.js";
import { NS } from "../xml/namespaces.js";
import { soapEnvelope } from "../xml/soap.js";
import type { AnswerPatient, InsurabilityAnswer } from "../../consultation/answer.js";

const e = escapeXml;
const el = (name: string, value: string | undefined): string =>
  value === undefined ? "" : `<ic:${name}>${e(value)}</ic:${name}>`;

function careReceiver(p: AnswerPatient): string {
  return (
    `<ic:CareReceiver>` +
    el("Ssin", p.niss) +
    el("RegNrWithMut", p.registrationNumber) +
    el("Mutuality", p.mutuality) +
    el("FirstName", p.firstName) +
    el("LastName", p.lastName) +
    el("Birthday", p.birthDate) +
    el("Deceased", p.deceased) +
    el("Sex", p.sex) +
    `</ic:CareReceiver>`
  );
}

/** The Body payload alone, namespaces declared on its root (what the XSD describes). */
export function insurabilityResponsePayload(answer: InsurabilityAnswer): string {
  const { returnCode: rc, coverage: c, verification: v } = answer;
  const coverage =
    c === undefined
      ? ""
      : `<ic:Coverage>${el("Communicated", c.communicated)}` +
        `<ic:Period>${el("BeginDate", c.start)}${el("EndDate", c.end)}</ic:Period>` +
        `<ic:Entitlement>${el("Code1", c.ct1)}${el("Code2", c.ct2)}` +
        `${el("ThirdPartyPayerRegime", c.thirdPartyPayerRegime)}</ic:Entitlement></ic:Coverage>`;
  const verification =
    v === undefined
      ? ""
      : `<ic:Verification>${el("PaymentApproval", v.paymentApproval)}${el("PaymentApprovalSeed", v.paymentApprovalSeed)}` +
        `${el("InvoicingOfficeCheckDigit", v.invoicingOfficeCheckDigit)}</ic:Verification>`;
  const multipleIo = answer.multipleIo === undefined ? undefined : answer.multipleIo.join(" ");
  return (
    `<ins:GetInsurabilityForPharmacistResponse xmlns:ins="${NS.insProtocol}" xmlns:ic="${NS.insCore}">` +
    `<Status><Code>200</Code><Message>Success</Message></Status>` +
    `<ins:CommonOutput>${el("Reference", answer.platformReference)}${el("IoReference", answer.platformIoReference)}</ins:CommonOutput>` +
    `<ins:RecordCommonOutput>${el("Reference", answer.reference)}${el("IoReference", answer.ioReference)}` +
    `${el("UserReference", answer.userReference)}</ins:RecordCommonOutput>` +
    `<ins:ReturnInfo><ic:ReturnCode>${el("Major", rc.major)}${el("Minor", rc.minor)}${el("Detail", rc.detail)}</ic:ReturnCode>` +
    `${el("MultipleIO", multipleIo)}</ins:ReturnInfo>` +
    `<ins:InsurabilityResponse>${el("Requested", answer.requested)}${careReceiver(answer.patient)}${coverage}${verification}` +
    `</ins:InsurabilityResponse>` +
    `</ins:GetInsurabilityForPharmacistResponse>`
  );
}

/** The SOAP envelope; `answer.messageId` goes into a `wsa:MessageID` header. */
export function buildInsurabilityResponse(answer: InsurabilityAnswer): string {
  const header =
    answer.messageId === undefined
      ? undefined
      : `<wsa:MessageID xmlns:wsa="${NS.wsa}">${e(answer.messageId)}</wsa:MessageID>`;
  return soapEnvelope(
    header === undefined
      ? { body: insurabilityResponsePayload(answer) }
      : { header, body: insurabilityResponsePayload(answer) },
  );
}
