// Reads the legacy STS answer (mycarenet-protocol §3.2, §3.5, §4.1) into a token, or a coded
// failure:
// - samlp:Status other than Success, a SOAP fault about the caller (authentication SOA-01xxx,
//   message SOA-03xxx, BusinessError), a certified pharmacy boolean not "true" → STS_REFUSED;
// - soa:SystemError SOA-02xxx (service down) or a server fault → STS_UNAVAILABLE;
// - an answer we cannot trust — unparseable, assertion not signed by the configured STS
//   certificate, outside its validity window, for another pharmacy, another holder-of-key or
//   another request → STS_ANSWER_INVALID. Retrying will not help and the user's credentials are
//   not at fault: it points at the configured STS certificate, the clock, or an attack.
// The STS's status message goes in the error's cause, for the log only, with digit runs that
// could be a national number masked.
import { CodedError } from "../../errors.js";
import { readSoapFault } from "../xml/soap-fault.js";
import { escapeXml } from "../xml/escape.js";
import { NS } from "../xml/namespaces.js";
import { child, childElements, parseXml, path, text } from "../xml/parse.js";
import { elementSpans } from "../xml/spans.js";
import { AssertionRejected, verifyStsAssertion } from "./assertion.js";
import { PHARMACY_ATTRIBUTE, REQUIRED_TRUE } from "./pharmacy-profile.js";

export interface SamlToken {
  /** The assertion exactly as the STS sent it (plus in-scope namespace declarations it relied on). */
  readonly assertionXml: string;
  readonly assertionId: string;
  readonly notBefore: Date;
  readonly notOnOrAfter: Date;
  readonly attributes: Readonly<Record<string, string[]>>;
}

export interface StsResponseOptions {
  readonly stsCertificateDer: Buffer;
  readonly now: Date;
  readonly pharmacyNihii: string;
  readonly maxSkewSeconds?: number;
  /** When given, the assertion must confirm this holder-of-key certificate. */
  readonly holderOfKeyCertDer?: Buffer;
  /** When given, the answer must be InResponseTo this RequestID. */
  readonly requestId?: string;
}

/** Throws CodedError STS_REFUSED | STS_UNAVAILABLE | STS_ANSWER_INVALID. */
export function parseStsResponse(xml: string, opts: StsResponseOptions): SamlToken {
  let doc: Document;
  try {
    doc = parseXml(xml);
  } catch (error) {
    throw invalid("malformed", error);
  }
  const fault = readSoapFault(doc);
  if (fault) {
    // Service unavailable (SOA-02xxx), or no eHealth detail from the server side: try later.
    // Security and message problems (SOA-01xxx, SOA-03xxx) are refusals.
    const unavailable =
      fault.code.startsWith("SOA-02") ||
      (fault.code === "SOA-00001" && !/(^|:)Client$/.test(fault.faultCode ?? ""));
    throw new CodedError(
      unavailable ? "STS_UNAVAILABLE" : "STS_REFUSED",
      { reason: "soap-fault", soaCode: fault.code, faultCode: fault.faultCode ?? "" },
      { cause: new Error(`STS fault: ${mask(fault.message)}`) },
    );
  }
  const root = doc.documentElement;
  const body = root && path(root, [NS.soap, "Body"]);
  const response = body && child(body, NS.samlp, "Response");
  if (!response) throw invalid("no samlp:Response");
  if (opts.requestId !== undefined && response.getAttribute("InResponseTo") !== opts.requestId) {
    throw invalid("answer to another request");
  }
  const statusCode = path(response, [NS.samlp, "Status"], [NS.samlp, "StatusCode"]);
  const value = statusCode?.getAttribute("Value") ?? "";
  if (!isSamlpQName(statusCode, value, "Success")) {
    const message = text(path(response, [NS.samlp, "Status"], [NS.samlp, "StatusMessage"])) ?? "";
    throw new CodedError(
      "STS_REFUSED",
      { reason: "status", statusCode: value },
      { cause: new Error(`STS status ${value}: ${mask(message)}`) },
    );
  }

  const assertions = childElements(response).filter(
    (e) => e.namespaceURI === NS.saml && e.localName === "Assertion",
  );
  const element = assertions[0];
  if (!element || assertions.length > 1) throw invalid("expected one assertion");
  const assertionXml = verbatimAssertion(xml, element);
  let facts;
  try {
    const standalone = parseXml(assertionXml).documentElement;
    if (!standalone) throw invalid("empty assertion");
    facts = verifyStsAssertion(assertionXml, standalone, opts);
  } catch (error) {
    if (error instanceof AssertionRejected) throw invalid(error.reason, error);
    if (error instanceof CodedError) throw error;
    throw invalid("malformed", error);
  }
  if (opts.holderOfKeyCertDer && !facts.holderCertificateDer.equals(opts.holderOfKeyCertDer)) {
    throw invalid("holder-of-key certificate differs");
  }
  const pharmacy = facts.attributes[PHARMACY_ATTRIBUTE.pharmacyNihii] ?? [];
  if (pharmacy.length !== 1 || pharmacy[0] !== opts.pharmacyNihii)
    throw invalid("assertion for another pharmacy");
  for (const name of REQUIRED_TRUE) {
    const values = facts.attributes[name] ?? [];
    if (values.length !== 1 || values[0] !== "true") {
      throw new CodedError("STS_REFUSED", { reason: "attribute-not-true", attribute: name });
    }
  }
  return {
    assertionXml,
    assertionId: facts.assertionId,
    notBefore: facts.notBefore,
    notOnOrAfter: facts.notOnOrAfter,
    attributes: facts.attributes,
  };
}

function invalid(reason: string, cause?: unknown): CodedError {
  return new CodedError("STS_ANSWER_INVALID", { reason }, cause === undefined ? undefined : { cause });
}

// 11 digits in a row may be a national number (SPEC: never log a NISS).
const mask = (message: string): string => message.replace(/\d{11}/g, "***********").slice(0, 500);

function isSamlpQName(el: Element | undefined, value: string, local: string): boolean {
  const colon = value.indexOf(":");
  const prefix = colon === -1 ? null : value.slice(0, colon);
  return !!el && value.slice(colon + 1) === local && el.lookupNamespaceURI(prefix) === NS.samlp;
}

/**
 * The assertion's own bytes from the answer (Envelope/Body/Response/Assertion), with the
 * namespace declarations it inherited from those ancestors added to its start tag, so that it
 * stands alone. Exclusive c14n ignores where a namespace is declared: eHealth's signature holds.
 */
function verbatimAssertion(xml: string, assertion: Element): string {
  const spans = elementSpans(xml, 3);
  const within = (outer: { start: number; end: number }, depth: number, name: string) =>
    spans.filter((s) => s.depth === depth && s.name === name && s.start >= outer.start && s.end <= outer.end);
  const body = assertion.parentNode?.parentNode as Element;
  const [bodySpan] = within({ start: 0, end: xml.length }, 1, body.tagName);
  const [responseSpan] = bodySpan ? within(bodySpan, 2, (assertion.parentNode as Element).tagName) : [];
  const found = responseSpan ? within(responseSpan, 3, assertion.tagName) : [];
  const span = found[0];
  if (!span || found.length !== 1) throw invalid("assertion not found in the text");

  const own = new Set<string>();
  for (let i = 0; i < assertion.attributes.length; i++) {
    const name = assertion.attributes.item(i)?.name ?? "";
    if (name === "xmlns" || name.startsWith("xmlns:")) own.add(name);
  }
  const needed = usedPrefixes(assertion);
  const inherited = new Map<string, string>();
  for (let n = assertion.parentNode; n && n.nodeType === 1; n = n.parentNode) {
    const el = n as Element;
    for (let i = 0; i < el.attributes.length; i++) {
      const attr = el.attributes.item(i);
      if (!attr || !(attr.name === "xmlns" || attr.name.startsWith("xmlns:"))) continue;
      const prefix = attr.name === "xmlns" ? "" : attr.name.slice(6);
      if (needed.has(prefix) && !own.has(attr.name) && !inherited.has(attr.name))
        inherited.set(attr.name, attr.value);
    }
  }
  const declarations = [...inherited].map(([name, value]) => ` ${name}="${escapeXml(value)}"`).join("");
  const nameEnd = span.start + 1 + span.name.length;
  return xml.slice(span.start, nameEnd) + declarations + xml.slice(nameEnd, span.end);
}

/** Prefixes ("" for the default namespace) the subtree uses in names and in xsi:type values. */
function usedPrefixes(root: Element): Set<string> {
  const used = new Set<string>();
  const walk = (el: Element): void => {
    used.add(el.prefix ?? "");
    for (let i = 0; i < el.attributes.length; i++) {
      const attr = el.attributes.item(i);
      if (!attr || attr.name === "xmlns" || attr.name.startsWith("xmlns:")) continue;
      if (attr.prefix) used.add(attr.prefix);
      if (attr.localName === "type" && attr.namespaceURI === NS.xsi && attr.value.includes(":")) {
        used.add(attr.value.slice(0, attr.value.indexOf(":")));
      }
    }
    for (const c of childElements(el)) walk(c);
  };
  walk(root);
  return used;
}
