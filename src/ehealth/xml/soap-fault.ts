// SOAP 1.1 faults of the eHealth platform: `soap:Fault/detail/soa:SystemError` or
// `soa:BusinessError` (ehealth-errors-schema-soa-1_1.xsd; protocol notes §4.1). The simulator
// writes them; the daemon reads them and branches on the SOA code, never on the message.
import { randomUUID } from "node:crypto";
import { escapeXml } from "./escape.js";
import { NS } from "./namespaces.js";
import { child, childElements, text } from "./parse.js";
import type { XmlDocument, XmlElement } from "./parse.js";
import { readXml } from "./read.js";
import { soapEnvelope, soapPayload } from "./soap.js";

/** The codes of notes §4.1 that the simulator emits and the daemon classifies. */
export const SOA = Object.freeze({
  undefinedError: "SOA-00001",
  notAuthenticated: "SOA-01001",
  noAccess: "SOA-01002",
  serviceUnavailable: "SOA-02001",
  temporarilyUnavailable: "SOA-02002",
  malformedContent: "SOA-03001",
  notSoap: "SOA-03002",
  emptyBody: "SOA-03003",
  notXsdConformant: "SOA-03006",
  contentInvalid: "SOA-03007",
} as const);

export type SoaFaultKind = "system" | "business";

export type SoaEnvironment =
  "Development" | "Test" | "Integration" | "Acceptation" | "Simulation" | "Production";

export interface SoaFault {
  kind: SoaFaultKind;
  /** `SOA-xxxxx`; "SOA-00001" when the fault carried no eHealth detail. */
  code: string;
  message: string;
  /** `Origin`: Consumer (our side is at fault) or Provider. */
  origin?: string;
  /** The SOAP 1.1 faultcode as written (`soap:Client`, `soap:Server`). */
  faultCode?: string;
  /** `Id`: the platform's ticket, useful to quote to the eHealth helpdesk. */
  id?: string;
}

/** SOAP 1.1 over HTTP answers a fault with status 500. */
export const FAULT_HTTP_STATUS = 500;

/** Who is at fault, after the code family: 01 security and 03 message content are the consumer's. */
function originOf(code: string): "Consumer" | "Provider" {
  return /^SOA-0[13]/.test(code) ? "Consumer" : "Provider";
}

export function buildSoaFault(fault: {
  kind: SoaFaultKind;
  code: string;
  message: string;
  lang?: "en" | "fr" | "nl";
  environment?: SoaEnvironment;
  id?: string;
}): string {
  const origin = originOf(fault.code);
  const element = fault.kind === "system" ? "SystemError" : "BusinessError";
  const e = escapeXml;
  const detail =
    `<soa:${element} xmlns:soa="${NS.soa}" Id="${e(fault.id ?? `urn:uuid:${randomUUID()}`)}">` +
    `<Origin>${origin}</Origin><Code>${e(fault.code)}</Code>` +
    `<Message xml:lang="${fault.lang ?? "en"}">${e(fault.message)}</Message>` +
    `<soa:Environment>${fault.environment ?? "Simulation"}</soa:Environment>` +
    `</soa:${element}>`;
  return soapEnvelope({
    body:
      `<soap:Fault><faultcode>soap:${origin === "Consumer" ? "Client" : "Server"}</faultcode>` +
      `<faultstring>${e(`${fault.code}: ${fault.message}`)}</faultstring><detail>${detail}</detail></soap:Fault>`,
  });
}

const SOA_CODE = /SOA-[0-9]{5}/;

/** The fault in a parsed envelope, or undefined when its Body holds no soap:Fault. */
export function readSoapFault(doc: XmlDocument): SoaFault | undefined {
  const fault = soapPayload(doc);
  if (fault === undefined || fault.namespaceURI !== NS.soap || fault.localName !== "Fault") return undefined;
  // faultcode, faultstring and detail are unqualified in SOAP 1.1.
  const faultCode = text(unqualified(fault, "faultcode"))?.trim();
  const faultString = text(unqualified(fault, "faultstring"))?.trim() ?? "";
  const detail = unqualified(fault, "detail");
  const soa =
    detail === undefined
      ? undefined
      : (child(detail, NS.soa, "SystemError") ?? child(detail, NS.soa, "BusinessError"));
  const out: SoaFault = {
    kind: soa?.localName === "BusinessError" ? "business" : "system",
    code: "SOA-00001",
    message: faultString,
  };
  if (faultCode !== undefined && faultCode !== "") out.faultCode = faultCode;
  if (soa !== undefined) {
    const code = text(unqualified(soa, "Code"))?.trim();
    if (code !== undefined && SOA_CODE.test(code)) out.code = code;
    const message = text(unqualified(soa, "Message"))?.trim();
    if (message !== undefined && message !== "") out.message = message;
    const origin = text(unqualified(soa, "Origin"))?.trim();
    if (origin !== undefined && origin !== "") out.origin = origin;
    const id = soa.getAttribute("Id");
    if (id) out.id = id;
  } else {
    const code = SOA_CODE.exec(faultString)?.[0];
    if (code !== undefined) out.code = code;
  }
  return out;
}

// Children without a namespace. xmldom gives them namespaceURI null; `child` compares with a
// string, so look them up by local name here.
function unqualified(parent: XmlElement, localName: string): XmlElement | undefined {
  return childElements(parent).find((el) => !el.namespaceURI && el.localName === localName);
}

/** The fault in a SOAP message as text; undefined when it is no well-formed SOAP fault. */
export function parseSoapFault(xml: string): SoaFault | undefined {
  try {
    return readSoapFault(readXml(xml));
  } catch {
    return undefined;
  }
}
