// Reads a SOAP 1.1 Fault and its eHealth detail (soa:SystemError / soa:BusinessError with a
// SOA-xxxxx code; mycarenet-protocol §4.1), so callers can classify it by code.
import { NS } from "../xml/namespaces.js";
import { childElements, path, text } from "../xml/parse.js";

export interface SoapFault {
  readonly faultCode: string;
  readonly faultString: string;
  /** The eHealth detail when present. */
  readonly ehealth?: {
    readonly kind: "SystemError" | "BusinessError";
    /** SOA-xxxxx. */
    readonly code: string;
    readonly origin?: string;
  };
}

/** The fault in an envelope's Body, or undefined when the Body holds no Fault. */
export function soapFaultOf(envelope: Document): SoapFault | undefined {
  const root = envelope.documentElement;
  if (!root) return undefined;
  const fault = path(root, [NS.soap, "Body"], [NS.soap, "Fault"]);
  if (!fault) return undefined;
  // faultcode, faultstring and detail are unqualified in SOAP 1.1.
  const plain = (name: string): Element | undefined =>
    childElements(fault).find((e) => e.localName === name && !e.namespaceURI);
  const faultCode = (text(plain("faultcode")) ?? "").trim();
  const faultString = (text(plain("faultstring")) ?? "").trim();
  const detail = plain("detail");
  const error =
    detail &&
    childElements(detail).find(
      (e) => e.namespaceURI === NS.soa && (e.localName === "SystemError" || e.localName === "BusinessError"),
    );
  if (!error) return { faultCode, faultString };
  const codeEl = childElements(error).find((e) => e.localName === "Code");
  const origin = text(childElements(error).find((e) => e.localName === "Origin"))?.trim();
  return {
    faultCode,
    faultString,
    ehealth: {
      kind: error.localName === "SystemError" ? "SystemError" : "BusinessError",
      code: (text(codeEl) ?? "").trim(),
      ...(origin ? { origin } : {}),
    },
  };
}
