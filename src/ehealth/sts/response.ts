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
import { escapeXml } from "../xml/escape.js";
import { NS } from "../xml/namespaces.js";
import { child, childElements, parseXml, path, text } from "../xml/parse.js";
import { elementSpans } from "../xml/spans.js";
import { AssertionRejected, verifyStsAssertion } from "./assertion.js";
import { invalid, mask, readStsEnvelope } from "./envelope.js";
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
  const body = readStsEnvelope(xml);
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

  return tokenFromAssertion(xml, response, opts);
}

/**
 * The one assertion child of `parent`, lifted verbatim from `xml`, verified (signed by the
 * configured STS, current) and checked for this pharmacy and holder-of-key. Both doors end here.
 */
export function tokenFromAssertion(xml: string, parent: Element, opts: StsResponseOptions): SamlToken {
  const assertions = childElements(parent).filter(
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
  // Body … Assertion: the elements between the envelope and the assertion, outermost first.
  const chain: Element[] = [];
  for (let n: Node | null = assertion; n && n.parentNode && n.parentNode.nodeType === 1; n = n.parentNode) {
    chain.unshift(n as Element);
  }
  const spans = elementSpans(xml, chain.length);
  let outer = { start: 0, end: xml.length };
  let span: (typeof spans)[number] | undefined;
  for (const [index, element] of chain.entries()) {
    const depth = index + 1;
    const found = spans.filter(
      (s) => s.depth === depth && s.name === element.tagName && s.start >= outer.start && s.end <= outer.end,
    );
    span = found[0];
    if (!span || (element === assertion && found.length !== 1))
      throw invalid("assertion not found in the text");
    outer = span;
  }
  if (!span) throw invalid("assertion not found in the text");

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
