// The one way this project reads XML from outside. Upstream XML is hostile until proven
// otherwise: a DOCTYPE (the door to XXE and entity expansion) is refused before parsing, size
// and depth are capped, and any parser complaint is an error rather than a half-built tree.
import { DOMParser } from "@xmldom/xmldom";

export class XmlRejected extends Error {
  readonly reason: "too-large" | "doctype" | "malformed" | "too-deep" | "too-many";
  constructor(reason: XmlRejected["reason"], message: string) {
    super(message);
    this.name = "XmlRejected";
    this.reason = reason;
  }
}

export interface ParseLimits {
  maxBytes: number;
  maxDepth: number;
  /** A tree of 2 MB of `<a/>` costs some 250 MB: the element count is capped as well. */
  maxElements: number;
  /** Per element, namespace declarations included: 100 000 of them take xmldom half a second. */
  maxAttributes: number;
}

// An eHealth answer (an insurability response, an STS assertion) has a few hundred elements.
export const DEFAULT_LIMITS: ParseLimits = {
  maxBytes: 2 * 1024 * 1024,
  maxDepth: 64,
  maxElements: 20_000,
  maxAttributes: 256,
};

/**
 * What the readers of received XML use of a tree: xmldom's nodes have it, and so do the light
 * ones of read.ts. The helpers below take either, and give back DOM elements for DOM nodes.
 */
export interface XmlNode {
  readonly nodeType: number;
  readonly firstChild: XmlNode | null;
  readonly nextSibling: XmlNode | null;
  readonly textContent: string | null;
}
export interface XmlElement extends XmlNode {
  readonly namespaceURI: string | null;
  readonly localName: string | null;
  getAttribute(qualifiedName: string): string | null;
}
export interface XmlDocument {
  readonly documentElement: XmlElement | null;
}

export function parseXml(text: string, limits: ParseLimits = DEFAULT_LIMITS): Document {
  checkShape(text, limits);
  const problems: string[] = [];
  // No locator: positions would only decorate the error message, and computing them for every
  // node took a tenth of the parse of an answer.
  const doc = new DOMParser({
    errorHandler: {
      warning: () => undefined,
      error: (msg: string) => problems.push(msg),
      fatalError: (msg: string) => problems.push(msg),
    },
  }).parseFromString(text, "text/xml");
  if (problems.length > 0 || !doc.documentElement) {
    throw new XmlRejected("malformed", problems[0] ?? "no document element");
  }
  return doc as unknown as Document;
}

/** The limits every parse of outside XML applies before building anything; throws XmlRejected. */
export function checkShape(text: string, limits: ParseLimits): void {
  if (Buffer.byteLength(text, "utf8") > limits.maxBytes) {
    throw new XmlRejected("too-large", `document larger than ${limits.maxBytes} bytes`);
  }
  if (/<!DOCTYPE|<!ENTITY/i.test(text))
    throw new XmlRejected("doctype", "DOCTYPE and ENTITY are not accepted");
  const shape = tagShape(text);
  if (shape.depth > limits.maxDepth) {
    throw new XmlRejected("too-deep", `elements nested deeper than ${limits.maxDepth}`);
  }
  if (shape.elements > limits.maxElements) {
    throw new XmlRejected("too-many", `more than ${limits.maxElements} elements`);
  }
  if (shape.attributes > limits.maxAttributes) {
    throw new XmlRejected("too-many", `an element with more than ${limits.maxAttributes} attributes`);
  }
}

/**
 * Counts elements and their nesting on the raw text, so that a deep or crowded document is
 * refused before a tree is built (and the most attributes on one element). Any character that may start an XML name opens a tag (not
 * only ASCII letters: `<é>` nested 100 000 deep would pass, then blow the stack of a recursive
 * walk); comments, CDATA and processing instructions (`<!`, `<?`) do not.
 */
function tagShape(text: string): { depth: number; elements: number; attributes: number } {
  let depth = 0;
  let max = 0;
  let elements = 0;
  let attributes = 0;
  const tag = /<(\/?)[^\s!?/<>][^>]*?(\/?)>/g;
  for (let m = tag.exec(text); m; m = tag.exec(text)) {
    if (m[1] === "/") depth--;
    else {
      elements++;
      const count = m[0].length > 16 ? (m[0].match(/=\s*["']/g)?.length ?? 0) : 0;
      if (count > attributes) attributes = count;
      if (m[2] !== "/") {
        depth++;
        if (depth > max) max = depth;
      }
    }
  }
  return { depth: max, elements, attributes };
}

export function childElements(parent: Node): Element[];
export function childElements(parent: XmlNode): XmlElement[];
export function childElements(parent: XmlNode): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as XmlElement);
  return out;
}

/** First child element with this namespace and local name, or undefined. */
export function child(parent: Node, ns: string, localName: string): Element | undefined;
export function child(parent: XmlNode, ns: string, localName: string): XmlElement | undefined;
export function child(parent: XmlNode, ns: string, localName: string): XmlElement | undefined {
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== 1) continue;
    const el = n as XmlElement;
    if (el.namespaceURI === ns && el.localName === localName) return el;
  }
  return undefined;
}

/** Follows a path of (namespace, local name) steps from parent; undefined when a step is missing. */
export function path(parent: Node, ...steps: Array<readonly [string, string]>): Element | undefined;
export function path(parent: XmlNode, ...steps: Array<readonly [string, string]>): XmlElement | undefined;
export function path(parent: XmlNode, ...steps: Array<readonly [string, string]>): XmlElement | undefined {
  let cur: XmlNode | undefined = parent;
  for (const [ns, name] of steps) {
    if (!cur) return undefined;
    cur = child(cur, ns, name);
  }
  return cur as XmlElement | undefined;
}

export function text(el: XmlNode | undefined): string | undefined {
  if (!el) return undefined;
  return el.textContent ?? undefined;
}

/** Every descendant element with this namespace and local name, in document order. */
export function descendants(root: Node, ns: string, localName: string): Element[];
export function descendants(root: XmlNode, ns: string, localName: string): XmlElement[];
export function descendants(root: XmlNode, ns: string, localName: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (n: XmlNode): void => {
    for (const el of childElements(n)) {
      if (el.namespaceURI === ns && el.localName === localName) out.push(el);
      walk(el);
    }
  };
  walk(root);
  return out;
}
