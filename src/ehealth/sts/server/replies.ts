// The eHealth STS as a server writes it (both doors): what the simulator serves. Beside the
// client in ehealth/sts, so each protocol's two sides of the wire format live in one room.
// The STS's answers on the wire: samlp:Response (Success with the assertion, or Requester with
// a message — mycarenet-protocol §3.2) and the eHealth ESB fault (§4.1).
import { randomBytes } from "node:crypto";
import type { SoapAnswer as SoapReply } from "../../xml/soap.js";
import { soapEnvelope } from "../../xml/soap.js";
import { escapeXml as x } from "../../xml/escape.js";
import { NS } from "../../xml/namespaces.js";
import { buildSoaFault, FAULT_HTTP_STATUS } from "../../xml/soap-fault.js";

export const newSamlId = (): string => `_${randomBytes(16).toString("hex")}`;

function response(inResponseTo: string, now: Date, status: string, content: string): SoapReply {
  return {
    status: 200,
    body: soapEnvelope({
      body:
        `<samlp:Response xmlns:samlp="${NS.samlp}" InResponseTo="${x(inResponseTo)}" IssueInstant="${now.toISOString()}" ` +
        `MajorVersion="1" MinorVersion="1" ResponseID="${newSamlId()}"><samlp:Status>${status}</samlp:Status>${content}</samlp:Response>`,
    }),
  };
}

export const issued = (inResponseTo: string, now: Date, signedAssertion: string): SoapReply =>
  response(inResponseTo, now, `<samlp:StatusCode Value="samlp:Success"/>`, signedAssertion);

/** A refusal; the message must not contain personal data. */
export const refused = (inResponseTo: string, now: Date, message: string): SoapReply =>
  response(
    inResponseTo,
    now,
    `<samlp:StatusCode Value="samlp:Requester"/><samlp:StatusMessage>${x(message)}</samlp:StatusMessage>`,
    "",
  );

const FAULT_TEXT: Record<string, string> = {
  "SOA-01001": "Consumer is not authenticated",
  "SOA-02001": "Service not available. Please contact your helpdesk",
  "SOA-02002": "Service temporarily not available. Please try later",
  "SOA-03001": "Malformed message",
  "SOA-03006": "Message is not XSD-conformant",
};

/** The eHealth ESB's fault (soa:SystemError); Client or Server follows from the code's family. */
export function fault(code: keyof typeof FAULT_TEXT & string): SoapReply {
  return {
    status: FAULT_HTTP_STATUS,
    body: buildSoaFault({ kind: "system", code, message: FAULT_TEXT[code] ?? "Error" }),
  };
}
