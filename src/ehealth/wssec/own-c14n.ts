// Exclusive XML canonicalisation (without comments, no InclusiveNamespaces) of elements in text
// WE wrote, without building a tree. Signing a consultation used to parse its own envelope with
// xmldom behind the hostile-XML checks (~0.2 ms, as much as half the RSA signature) only to
// canonicalise Body and Timestamp. Our envelope is elements, attributes, escaped text and
// character references: nothing else is accepted here (a comment, CDATA, a processing instruction
// inside the document, an unknown entity throw OwnXmlUnsupported, and the caller parses instead).
// The output is what xml-crypto's ExclusiveCanonicalization gives for the parsed element, the
// c14n every verifier computes: own-c14n.test.ts compares the two on generated requests, and
// xmlsec1 verifies what we send (saml-key-id.int.test.ts, consult/upstream.int.test.ts).
//
// Never use it on text from outside: it does not check well-formedness beyond what it needs.

export class OwnXmlUnsupported extends Error {}

const XML_NS = "http://www.w3.org/XML/1998/namespace";
const TAG = /<(\/?)([^\s/>]+)([^>]*?)(\/?)>/y;
const ATTRIBUTE = /\s*([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/y;
const TRAILING_SPACE = /^\s*$/;
const REFERENCE = /&([^;&]*);|&/g;
const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(text: string): string {
  if (text.indexOf("&") === -1) return text;
  return text.replace(REFERENCE, (_m, name: string | undefined) => {
    if (name === undefined) throw new OwnXmlUnsupported("a bare ampersand");
    const named = NAMED[name];
    if (named !== undefined) return named;
    const code = /^#x[0-9a-fA-F]+$/.test(name)
      ? parseInt(name.slice(2), 16)
      : /^#[0-9]+$/.test(name)
        ? parseInt(name.slice(1), 10)
        : NaN;
    if (!(code >= 0 && code <= 0x10ffff))
      throw new OwnXmlUnsupported("an entity reference other than the predefined ones");
    return String.fromCodePoint(code);
  });
}

const TEXT_SPECIAL = /[&<>\r]/g;
const TEXT_ESCAPE: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#xD;" };
const ATTR_SPECIAL = /[&<"\r\n\t]/g;
const ATTR_ESCAPE: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  '"': "&quot;",
  "\r": "&#xD;",
  "\n": "&#xA;",
  "\t": "&#x9;",
};

// A parser's line-end normalisation (XML 1.0 §2.11, and xmldom's NEL, LS, PS) applied to literal
// characters; references to them survive as the characters they name.
const lineEnds = (raw: string): string => raw.replace(/\r\n?|[\u0085\u2028\u2029]/g, "\n");
// Most of our text and attribute values need none of it: one test, then the text as it is.
const PLAIN_TEXT = /[&<>\r\u0085\u2028\u2029]/;
const PLAIN_ATTR = /[&<"\r\n\t\u0085\u2028\u2029]/;
const textOf = (raw: string): string =>
  PLAIN_TEXT.test(raw) ? decode(lineEnds(raw)).replace(TEXT_SPECIAL, (c) => TEXT_ESCAPE[c] ?? c) : raw;
// Attribute-value normalisation (§3.3.3): literal tab, line feed and carriage return become spaces.
const attrOf = (raw: string): string =>
  PLAIN_ATTR.test(raw)
    ? decode(lineEnds(raw).replace(/[\t\n]/g, " ")).replace(ATTR_SPECIAL, (c) => ATTR_ESCAPE[c] ?? c)
    : raw;

interface Attr {
  qname: string;
  prefix: string;
  local: string;
  value: string;
}

type Scope = Record<string, string>;

interface Output {
  parts: string[];
  /** Namespaces rendered by output ancestors, prefix → URI ("" is the default namespace). */
  rendered: Scope[];
  depth: number;
}

const split = (qname: string): [string, string] => {
  const colon = qname.indexOf(":");
  return colon === -1 ? ["", qname] : [qname.slice(0, colon), qname.slice(colon + 1)];
};

/**
 * The exclusive c14n of every element of `xml` carrying an attribute `…:Id` (or `Id`) whose value
 * is one of `ids`, keyed by that value. Throws OwnXmlUnsupported on anything outside the subset.
 */
export function ownExclusiveC14n(xml: string, ids: readonly string[]): Map<string, string> {
  const wanted = new Set(ids);
  const found = new Map<string, string>();
  // Null-prototype scopes: a prefix such as "constructor" must not find Object.prototype's.
  const scopes: Scope[] = [Object.assign(Object.create(null) as Scope, { xml: XML_NS })];
  const open: string[] = [];
  const outputs: Array<{ id: string; out: Output }> = [];
  // The end of an element, written or implied by `/>`: every output open on it closes it too.
  const closeElement = (qname: string): void => {
    scopes.pop();
    for (const o of outputs) {
      o.out.parts.push(`</${qname}>`);
      o.out.rendered.pop();
      o.out.depth -= 1;
    }
    const done = outputs.at(-1);
    if (done && done.out.depth === 0) {
      outputs.pop();
      found.set(done.id, done.out.parts.join(""));
    }
  };
  let i = xml.indexOf("<");
  if (i > 0 && xml.slice(0, i).trim() !== "") throw new OwnXmlUnsupported("text before the document element");
  while (i !== -1 && i < xml.length) {
    if (xml.startsWith("<?", i)) {
      if (open.length > 0) throw new OwnXmlUnsupported("a processing instruction");
      const end = xml.indexOf("?>", i);
      if (end === -1) throw new OwnXmlUnsupported("an unterminated declaration");
      i = end + 2;
    } else if (xml.startsWith("<!", i)) {
      throw new OwnXmlUnsupported("a comment, CDATA or declaration");
    } else {
      TAG.lastIndex = i;
      const m = TAG.exec(xml);
      if (!m) throw new OwnXmlUnsupported("not a tag");
      const [whole, close, qname = "", rest = "", selfClosing] = m;
      if (close) {
        if (open.pop() !== qname) throw new OwnXmlUnsupported("unbalanced end tag");
        closeElement(qname);
      } else {
        const parent = scopes.at(-1) as Scope;
        const { scope = parent, attrs, id } = readStartTag(rest, parent);
        if (id !== undefined && wanted.has(id) && !found.has(id)) {
          const none = Object.assign(Object.create(null) as Scope, { "": "" });
          outputs.push({ id, out: { parts: [], rendered: [none], depth: 0 } });
        }
        scopes.push(scope);
        open.push(qname);
        for (const o of outputs) {
          o.out.parts.push(startTag(qname, attrs, scope, o.out));
          o.out.depth += 1;
        }
        if (selfClosing) {
          open.pop();
          closeElement(qname);
        }
      }
      i += whole.length;
    }
    const next = xml.indexOf("<", i);
    const raw = xml.slice(i, next === -1 ? xml.length : next);
    if (raw.length > 0) {
      if (open.length === 0) {
        if (raw.trim() !== "") throw new OwnXmlUnsupported("text outside the document element");
      } else if (outputs.length > 0) {
        const text = textOf(raw);
        for (const o of outputs) o.out.parts.push(text);
      }
    }
    i = next;
  }
  if (open.length > 0) throw new OwnXmlUnsupported("unclosed elements");
  for (const id of ids) if (!found.has(id)) throw new OwnXmlUnsupported(`no element with Id ${id}`);
  return found;
}

const BARE: { scope?: Scope; attrs: Attr[] } = { attrs: [] };

function readStartTag(rest: string, parent: Scope): { scope?: Scope; attrs: Attr[]; id?: string } {
  // Most of our elements have no attributes at all.
  if (rest === "") return BARE;
  let scope = parent;
  const attrs: Attr[] = [];
  let id: string | undefined;
  let at = 0;
  while (at < rest.length) {
    ATTRIBUTE.lastIndex = at;
    const m = ATTRIBUTE.exec(rest);
    if (!m) {
      if (!TRAILING_SPACE.test(rest.slice(at))) throw new OwnXmlUnsupported("an attribute");
      break;
    }
    at = ATTRIBUTE.lastIndex;
    const qname = m[1] ?? "";
    const raw = m[2] ?? m[3] ?? "";
    if (qname === "xmlns" || qname.startsWith("xmlns:")) {
      if (scope === parent) scope = Object.create(parent) as Scope;
      scope[qname === "xmlns" ? "" : qname.slice(6)] = decode(raw);
      continue;
    }
    const [prefix, local] = split(qname);
    const value = attrOf(raw);
    if (local === "Id") id = raw.includes("&") ? decode(raw) : raw;
    attrs.push({ qname, prefix, local, value });
  }
  return { scope, attrs, ...(id !== undefined ? { id } : {}) };
}

function startTag(qname: string, attrs: readonly Attr[], scope: Scope, out: Output): string {
  const rendered = out.rendered.at(-1) as Scope;
  if (attrs.length === 0) {
    // The common case: no attributes, and the element's namespace already rendered above.
    const colon = qname.indexOf(":");
    const prefix = colon === -1 ? "" : qname.slice(0, colon);
    const uri = scope[prefix] ?? (prefix ? undefined : "");
    if (uri !== undefined && rendered[prefix] === uri) {
      out.rendered.push(rendered);
      return `<${qname}>`;
    }
  }
  let mine: Scope | undefined;
  const render = (prefix: string, uri: string): void => {
    if ((mine ?? rendered)[prefix] === uri) return;
    mine ??= Object.create(rendered) as Scope;
    mine[prefix] = uri;
    prefixed.push(prefix);
  };
  const prefixed: string[] = [];
  const [prefix] = split(qname);
  let defaultDecl = "";
  if (prefix) {
    const uri = scope[prefix];
    if (uri === undefined) throw new OwnXmlUnsupported(`undeclared prefix ${prefix}`);
    render(prefix, uri);
  } else {
    const uri = scope[""] ?? "";
    if (rendered[""] !== uri) {
      mine ??= Object.create(rendered) as Scope;
      mine[""] = uri;
      defaultDecl = ` xmlns="${uri}"`;
    }
  }
  const sorted: Array<Attr & { uri: string }> = [];
  for (const a of attrs) {
    if (!a.prefix) {
      sorted.push({ ...a, uri: "" });
      continue;
    }
    const uri = scope[a.prefix];
    if (uri === undefined) throw new OwnXmlUnsupported(`undeclared prefix ${a.prefix}`);
    if (a.prefix !== "xml") render(a.prefix, uri);
    sorted.push({ ...a, uri });
  }
  out.rendered.push(mine ?? rendered);
  // xml-crypto's orders: declarations by prefix (localeCompare), attributes without a namespace
  // first, then by namespace URI + local name.
  prefixed.sort((a, b) => a.localeCompare(b));
  sorted.sort((a, b) => {
    if (!a.uri && b.uri) return -1;
    if (!b.uri && a.uri) return 1;
    const l = a.uri + a.local;
    const r = b.uri + b.local;
    return l === r ? 0 : l < r ? -1 : 1;
  });
  const decls = prefixed.map((p) => ` xmlns:${p}="${(mine as Scope)[p]}"`).join("");
  const attributes = sorted.map((a) => ` ${a.qname}="${a.value}"`).join("");
  return `<${qname}${defaultDecl}${decls}${attributes}>`;
}
