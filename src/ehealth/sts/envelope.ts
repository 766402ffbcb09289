// What every STS answer starts with, either door (mycarenet-protocol §3.2, §3.3, §4.1): XML that
// parses (else STS_ANSWER_INVALID), no SOAP fault (else the fault, classified), and the SOAP
// Body. What the Body carries is each door's own (response.ts, wstrust-response.ts).
// The STS's fault message goes in the error's cause, for the log only, with digit runs that
// could be a national number masked.
import { CodedError } from "../../errors.js";
import { readSoapFault } from "../xml/soap-fault.js";
import { NS } from "../xml/namespaces.js";
import { parseXml, path } from "../xml/parse.js";

/**
 * The SOAP Body of an STS answer, undefined when it has none. Throws CodedError
 * STS_ANSWER_INVALID (malformed) | STS_REFUSED | STS_UNAVAILABLE (a fault, faultError).
 */
export function readStsEnvelope(xml: string): Element | undefined {
  let doc: Document;
  try {
    doc = parseXml(xml);
  } catch (error) {
    throw invalid("malformed", error);
  }
  const fault = faultError(doc);
  if (fault) throw fault;
  const root = doc.documentElement;
  return (root && path(root, [NS.soap, "Body"])) ?? undefined;
}

// WS-Trust 1.3 §11 fault codes: all about the request, none an outage.
const WS_TRUST_FAULT =
  /(^|:)(InvalidRequest|FailedAuthentication|RequestFailed|InvalidSecurityToken|AuthenticationBadElements|BadRequest|ExpiredData|InvalidTimeRange|InvalidScope|RenewNeeded|UnableToRenew)$/;

/**
 * The SOAP fault of an STS answer as a coded error, or undefined when it is not a fault:
 * service unavailable (SOA-02xxx), or no eHealth detail from the server side → STS_UNAVAILABLE;
 * security and message problems (SOA-01xxx, SOA-03xxx), WS-Trust's own faults → STS_REFUSED.
 */
export function faultError(doc: Document): CodedError | undefined {
  const fault = readSoapFault(doc);
  if (!fault) return undefined;
  const faultCode = fault.faultCode ?? "";
  const unavailable =
    fault.code.startsWith("SOA-02") ||
    (fault.code === "SOA-00001" && !/(^|:)Client$/.test(faultCode) && !WS_TRUST_FAULT.test(faultCode));
  return new CodedError(
    unavailable ? "STS_UNAVAILABLE" : "STS_REFUSED",
    { reason: "soap-fault", soaCode: fault.code, faultCode: fault.faultCode ?? "" },
    { cause: new Error(`STS fault: ${mask(fault.message)}`) },
  );
}

export function invalid(reason: string, cause?: unknown): CodedError {
  return new CodedError("STS_ANSWER_INVALID", { reason }, cause === undefined ? undefined : { cause });
}

// 11 digits in a row may be a national number (SPEC: never log a NISS).
export const mask = (message: string): string => message.replace(/\d{11}/g, "***********").slice(0, 500);
