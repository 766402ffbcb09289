// The STS's answers on the wire: samlp:Response (Success with the assertion, or Requester with
// a message — mycarenet-protocol §3.2) and the eHealth ESB fault (§4.1).
import { randomBytes, randomUUID } from "node:crypto";
import type { SoapReply } from "../soap-endpoint.js";
import { soapEnvelope } from "../../ehealth/transport/envelope.js";
import { escapeXml as x } from "../../ehealth/xml/escape.js";
import { NS } from "../../ehealth/xml/namespaces.js";

export const newSamlId = (): string => `_${randomBytes(16).toString("hex")}`;

function response(inResponseTo: string, now: Date, status: string, content: string): SoapReply {
  return {
    status: 200,
    body: soapEnvelope(
      `<samlp:Response xmlns:samlp="${NS.samlp}" InResponseTo="${x(inResponseTo)}" IssueInstant="${now.toISOString()}" ` +
        `MajorVersion="1" MinorVersion="1" ResponseID="${newSamlId()}"><samlp:Status>${status}</samlp:Status>${content}</samlp:Response>`,
    ),
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

export function fault(code: keyof typeof FAULT_TEXT & string, side: "Client" | "Server"): SoapReply {
  const text = FAULT_TEXT[code] ?? "Error";
  return {
    status: 500,
    body:
      `<soapenv:Envelope xmlns:soapenv="${NS.soap}"><soapenv:Body><soapenv:Fault>` +
      `<faultcode>soapenv:${side}</faultcode><faultstring>${x(`${code}: ${text}`)}</faultstring><detail>` +
      `<soa:SystemError xmlns:soa="${NS.soa}" Id="urn:uuid:${randomUUID()}"><Origin>${side === "Client" ? "Consumer" : "Provider"}</Origin>` +
      `<Code>${code}</Code><Message xml:lang="en">${x(text)}</Message><soa:Environment>Simulation</soa:Environment>` +
      `</soa:SystemError></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>`,
  };
}
