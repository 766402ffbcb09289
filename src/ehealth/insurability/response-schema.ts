// The XSD of a GetInsurabilityForPharmacistResponse (insurabilityservices_protocol-2_0.xsd,
// _core-2_0.xsd, ehealth-commons protocol/core 1_7), checked in code: xmllint is a system tool the
// daemon cannot count on at run time, and a result obtained elsewhere (SPEC §1.6: the answer a
// Recip-e retrieval brings back) must be schema-valid before it is read. Each type below cites
// its XSD name; response-schema.int.test.ts holds it to xmllint on the reference samples and on
// mutations of them. ExtendedInformation is checked to its saml:Attribute shape, its values not.
import { NS } from "../xml/namespaces.js";
import { childElements, parseXml, XmlRejected } from "../xml/parse.js";
import { fail, ok, type Result } from "../../result.js";

const SAML2 = "urn:oasis:names:tc:SAML:2.0:assertion";

type Check = (value: string) => string | null;

interface Particle {
  readonly ns: string | null;
  readonly name: string;
  readonly min: 0 | 1;
  readonly max: number;
  readonly type: Type;
}
interface Group {
  readonly group: readonly Item[];
  readonly min: 0 | 1;
}
type Item = Particle | Group;
type Attributes = Readonly<Record<string, { check: Check; required?: boolean }>>;
type Type =
  | {
      readonly kind: "complex";
      readonly items: readonly Item[];
      readonly attributes?: Attributes;
      readonly otherAttributes?: boolean;
    }
  | { readonly kind: "simple"; readonly check: Check; readonly attributes?: Attributes }
  | { readonly kind: "any" };

const chars = (s: string) => [...s].length;
// xs:string keeps its whitespace: facets count every character (XSD 1.0 §4.3.6 preserve).
const length =
  (n: number): Check =>
  (v) =>
    chars(v) === n ? null : `length ${chars(v)}, not ${n}`;
const maxLength =
  (n: number): Check =>
  (v) =>
    chars(v) <= n ? null : `longer than ${n}`;
const oneOf =
  (values: readonly string[]): Check =>
  (v) =>
    values.includes(v) ? null : `not one of ${values.join(", ")}`;
const anyString: Check = () => null;
// Types derived by restriction collapse their whitespace first (xs:date, xs:decimal, lists).
const collapse = (v: string) => v.replace(/[\t\n\r ]+/g, " ").trim();

const DATE = /^-?([0-9]{4,})-([0-9]{2})-([0-9]{2})(Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?$/;
// libxml2 (xmllint, our reference) refuses whitespace around a date although XSD 1.0 would
// collapse it: the stricter reading is kept.
const xsDate: Check = (raw) => {
  const m = DATE.exec(raw);
  if (!m) return "not an xs:date";
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year === 0 || month < 1 || month > 12 || day < 1) return "not an xs:date";
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
  return day <= days ? null : "not an xs:date";
};
// RecordReferenceType: xs:decimal 0 … 99999999999999.
const recordReference: Check = (raw) => {
  const v = collapse(raw);
  if (!/^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/.test(v)) return "not an xs:decimal";
  const n = Number(v);
  return n >= 0 && n <= 99_999_999_999_999 ? null : "out of 0–99999999999999";
};
// IoList: a list of Io (1–6, 9).
const ioList: Check = (raw) => {
  const items = collapse(raw)
    .split(" ")
    .filter((s) => s !== "");
  return items.every((i) => ["1", "2", "3", "4", "5", "6", "9"].includes(i)) ? null : "an IO outside 1–6, 9";
};

const simple = (check: Check, attributes?: Attributes): Type => ({
  kind: "simple",
  check,
  ...(attributes ? { attributes } : {}),
});
const complex = (items: readonly Item[], attributes?: Attributes): Type => ({
  kind: "complex",
  items,
  ...(attributes ? { attributes } : {}),
});
const el = (ns: string | null, name: string, type: Type, min: 0 | 1 = 1, max = 1): Particle => ({
  ns,
  name,
  type,
  min,
  max,
});
const ic = (name: string, type: Type, min: 0 | 1 = 1, max = 1) => el(NS.insCore, name, type, min, max);
const ins = (name: string, type: Type, min: 0 | 1 = 1, max = 1) => el(NS.insProtocol, name, type, min, max);

// core:StatusType (unqualified children) with core:LocalisedString messages.
const statusType = complex([
  el(null, "Code", simple(anyString)),
  el(
    null,
    "Message",
    simple(anyString, { Lang: { check: oneOf(["FR", "NL", "EN", "DE", "NA"]) } }),
    1,
    Infinity,
  ),
]);
const commonOutput = complex([
  ic("Reference", simple(length(14)), 0),
  ic("IoReference", simple(length(14)), 0),
]);
const recordCommonOutput = complex([
  ic("Reference", simple(recordReference), 0),
  ic("IoReference", simple(recordReference), 0),
  ic("UserReference", simple(maxLength(25)), 0),
]);
const returnInfo = complex([
  ic(
    "ReturnCode",
    complex([
      ic("Major", simple(length(2))),
      ic("Minor", simple(length(2))),
      ic("Detail", simple(length(5))),
    ]),
  ),
  ic("MultipleIO", simple(ioList), 0),
]);
const careReceiver = complex([
  ic("Ssin", simple(length(11)), 0),
  ic("RegNrWithMut", simple(maxLength(13)), 0),
  ic("Mutuality", simple(length(3)), 0),
  ic("FirstName", simple(maxLength(24)), 0),
  ic("LastName", simple(maxLength(48)), 0),
  ic("Birthday", simple(xsDate), 0),
  ic("Deceased", simple(xsDate), 0),
  ic("Sex", simple(oneOf(["male", "female"])), 0),
]);
const coverage = complex([
  ic("Communicated", simple(xsDate)),
  ic("Period", complex([ic("BeginDate", simple(xsDate)), ic("EndDate", simple(xsDate))])),
  ic(
    "Entitlement",
    complex([
      ic("Code1", simple(length(3))),
      ic("Code2", simple(length(3))),
      ic("ThirdPartyPayerRegime", simple(oneOf(["none", "standard", "elevated"]))),
    ]),
  ),
]);
const verification = complex([
  ic("PaymentApproval", simple(length(32)), 0),
  ic("PaymentApprovalSeed", simple(length(10)), 0),
  ic("InvoicingOfficeCheckDigit", simple(length(2))),
]);
const insurabilityResponse = complex([
  ic("Requested", simple(xsDate), 0),
  ic("CareReceiver", careReceiver),
  ic("Coverage", coverage, 0),
  ic("Verification", verification, 0),
]);
// ic:SamlAttributeType: saml:Attribute* (Name required, other-namespace attributes allowed).
const samlAttribute: Type = {
  kind: "complex",
  items: [el(SAML2, "AttributeValue", { kind: "any" }, 0, Infinity)],
  attributes: {
    Name: { check: anyString, required: true },
    NameFormat: { check: anyString },
    FriendlyName: { check: anyString },
  },
  otherAttributes: true,
};
const extendedInformation = complex([el(SAML2, "Attribute", samlAttribute, 0, Infinity)]);

/** GetInsurabilityForPharmacistResponseType: protocol:ResponseType (Status, @Id) + an optional sequence. */
export const RESPONSE_ELEMENT = ins(
  "GetInsurabilityForPharmacistResponse",
  complex(
    [
      el(null, "Status", statusType),
      {
        min: 0,
        group: [
          ins("CommonOutput", commonOutput),
          ins("RecordCommonOutput", recordCommonOutput),
          ins("ReturnInfo", returnInfo),
          ins("InsurabilityResponse", insurabilityResponse),
          ins("ExtendedInformation", extendedInformation, 0),
        ],
      },
    ],
    { Id: { check: anyString } },
  ),
);

const XMLNS = "http://www.w3.org/2000/xmlns/";
const nameOf = (ns: string | null, name: string) => (ns ? `{${ns}}${name}` : name);

class Invalid extends Error {}

function checkAttributes(e: Element, type: Exclude<Type, { kind: "any" }>, where: string): void {
  const declared = type.attributes ?? {};
  for (let i = 0; i < e.attributes.length; i++) {
    const a = e.attributes.item(i) as Attr;
    if (a.namespaceURI === XMLNS || a.name === "xmlns" || a.name.startsWith("xmlns:")) continue;
    const spec = a.namespaceURI ? undefined : declared[a.localName ?? a.name];
    if (spec) {
      const problem = spec.check(a.value);
      if (problem) throw new Invalid(`${where}/@${a.name}: ${problem}`);
      continue;
    }
    // ##other: an attribute of a namespace that is neither none nor the element type's own.
    if (type.kind === "complex" && type.otherAttributes && a.namespaceURI && a.namespaceURI !== SAML2)
      continue;
    throw new Invalid(`${where}: attribute ${a.name} is not allowed`);
  }
  for (const [name, spec] of Object.entries(declared)) {
    if (spec.required && !e.hasAttribute(name)) throw new Invalid(`${where}: attribute ${name} is required`);
  }
}

function checkElement(e: Element, p: Particle, where: string): void {
  if (p.type.kind === "any") return;
  checkAttributes(e, p.type, where);
  if (p.type.kind === "simple") {
    if (childElements(e).length > 0) throw new Invalid(`${where}: simple content holds an element`);
    const problem = p.type.check(e.textContent ?? "");
    if (problem) throw new Invalid(`${where}: ${problem}`);
    return;
  }
  for (let n = e.firstChild; n; n = n.nextSibling) {
    if ((n.nodeType === 3 || n.nodeType === 4) && (n.nodeValue ?? "").trim() !== "")
      throw new Invalid(`${where}: text in element-only content`);
  }
  const children = childElements(e);
  const at = matchSequence(children, 0, p.type.items, where);
  if (at < children.length) {
    const extra = children[at] as Element;
    throw new Invalid(`${where}: unexpected ${nameOf(extra.namespaceURI, extra.localName)}`);
  }
}

const isGroup = (item: Item): item is Group => "group" in item;
const matches = (e: Element | undefined, p: Particle) =>
  e !== undefined && e.localName === p.name && (e.namespaceURI ?? null) === p.ns;
const firstOf = (item: Item): Particle => (isGroup(item) ? firstOf(item.group[0] as Item) : item);

/** Walks the sequence from children[at]; returns the index after what it consumed. */
function matchSequence(children: Element[], start: number, items: readonly Item[], where: string): number {
  let at = start;
  for (const item of items) {
    if (isGroup(item)) {
      // An optional group is absent when its first particle does not start here.
      if (item.min === 0 && !matches(children[at], firstOf(item))) continue;
      at = matchSequence(children, at, item.group, where);
      continue;
    }
    let count = 0;
    while (count < item.max && matches(children[at], item)) {
      checkElement(children[at] as Element, item, `${where}/${item.name}`);
      at++;
      count++;
    }
    if (count < item.min) throw new Invalid(`${where}: ${item.name} is missing`);
  }
  return at;
}

export type SchemaProblem = { reason: string };

/**
 * The response element, checked against the XSD: the document is either the element itself or a
 * SOAP 1.1 envelope whose Body holds only it (the header, e.g. wsa:MessageID, is not checked).
 */
export function validateInsurabilityResponse(
  xml: string,
): Result<{ doc: Document; payload: Element }, "IMPORT_XSD_INVALID"> {
  let doc: Document;
  try {
    doc = parseXml(xml);
  } catch (err) {
    return fail("IMPORT_XSD_INVALID", {
      problem: err instanceof XmlRejected ? `XML rejected: ${err.reason}` : "unreadable XML",
    });
  }
  let payload = doc.documentElement as Element;
  if (payload.namespaceURI === NS.soap && payload.localName === "Envelope") {
    const parts = childElements(payload);
    const body = parts.find((p) => p.namespaceURI === NS.soap && p.localName === "Body");
    const inBody = body ? childElements(body) : [];
    if (inBody.length !== 1)
      return fail("IMPORT_XSD_INVALID", { problem: "the SOAP Body does not hold exactly one element" });
    payload = inBody[0] as Element;
  }
  if (!matches(payload, RESPONSE_ELEMENT))
    return fail("IMPORT_XSD_INVALID", { problem: "not a GetInsurabilityForPharmacistResponse (v2)" });
  try {
    checkElement(payload, RESPONSE_ELEMENT, `/${RESPONSE_ELEMENT.name}`);
  } catch (err) {
    if (err instanceof Invalid) return fail("IMPORT_XSD_INVALID", { problem: err.message });
    throw err;
  }
  return ok({ doc, payload });
}
