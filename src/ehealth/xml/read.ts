// A light tree for reading what an eHealth service answers (issue 18): the insurability answer
// was read through xmldom, whose DOM took 0.4–0.6 ms of the daemon's CPU per consultation, as
// much as the RSA signature. The readers only walk elements by namespace and local name and take
// their text, so this builds just that from saxes, a strict XML 1.0 + Namespaces parser (it
// refuses what xmldom refused, and more that xmldom let through: unbound prefixes, stray end
// tags, a bare `&`). The hostile-XML limits are parse.ts's own, checked on the text first.
// What needs a real DOM (a signature to verify, the STS's assertions) still goes through parseXml.
import { SaxesParser } from "saxes";
import type { SaxesTagNS } from "saxes";
import { checkShape, DEFAULT_LIMITS, XmlRejected } from "./parse.js";
import type { ParseLimits, XmlDocument, XmlElement, XmlNode } from "./parse.js";

class LightText implements XmlNode {
  readonly nodeType = 3;
  readonly firstChild = null;
  nextSibling: XmlNode | null = null;
  constructor(public textContent: string) {}
}

class LightElement implements XmlElement {
  readonly nodeType = 1;
  firstChild: XmlNode | null = null;
  nextSibling: XmlNode | null = null;
  #last: LightElement | LightText | null = null;
  readonly #attributes: Record<string, { value: string }>;

  constructor(
    readonly namespaceURI: string | null,
    readonly localName: string,
    attributes: Record<string, { value: string }>,
  ) {
    this.#attributes = attributes;
  }

  /** By qualified name, as the DOM's getAttribute. */
  getAttribute(name: string): string | null {
    return Object.hasOwn(this.#attributes, name) ? (this.#attributes[name]?.value ?? null) : null;
  }

  /** The text of every descendant, in document order (comments and instructions are not kept). */
  get textContent(): string {
    let out = "";
    for (let n = this.firstChild; n !== null; n = n.nextSibling) out += n.textContent ?? "";
    return out;
  }

  append(node: LightElement | LightText): void {
    if (this.#last === null) this.firstChild = node;
    else this.#last.nextSibling = node;
    this.#last = node;
  }

  appendText(text: string): void {
    // saxes may hand one run of text in pieces (an entity, a CDATA section): one node, as xmldom.
    if (this.#last instanceof LightText) this.#last.textContent += text;
    else this.append(new LightText(text));
  }
}

/** Parses `text` into a tree of elements and text; throws XmlRejected as parseXml does. */
export function readXml(text: string, limits: ParseLimits = DEFAULT_LIMITS): XmlDocument {
  checkShape(text, limits);
  const parser = new SaxesParser({ xmlns: true, position: false });
  const open: LightElement[] = [];
  let root: LightElement | null = null;
  parser.on("error", (err) => {
    throw new XmlRejected("malformed", err.message);
  });
  parser.on("opentag", (tag: SaxesTagNS) => {
    const el = new LightElement(tag.uri === "" ? null : tag.uri, tag.local, tag.attributes);
    const parent = open[open.length - 1];
    if (parent === undefined) root = el;
    else parent.append(el);
    if (!tag.isSelfClosing) open.push(el);
  });
  parser.on("closetag", (tag: SaxesTagNS) => {
    if (!tag.isSelfClosing) open.pop();
  });
  const onText = (t: string): void => open[open.length - 1]?.appendText(t);
  parser.on("text", onText);
  parser.on("cdata", onText);
  parser.write(text).close();
  if (root === null) throw new XmlRejected("malformed", "no document element");
  return { documentElement: root };
}
