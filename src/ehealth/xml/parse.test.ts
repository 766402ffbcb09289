import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, parseXml, XmlRejected } from "./parse.js";
import type { XmlDocument } from "./parse.js";
import { readXml } from "./read.js";

/** Why `parse` refuses `text` (XmlRejected's reason), or undefined when it reads it. */
function rejectionOf(parse: (text: string) => unknown, text: string): string | undefined {
  try {
    parse(text);
    return undefined;
  } catch (error) {
    if (error instanceof XmlRejected) return error.reason;
    throw error;
  }
}

// Both ways of reading outside XML apply the same limits: xmldom's DOM, and read.ts's light tree.
describe.each([
  ["parseXml", (t: string): XmlDocument => parseXml(t)],
  ["readXml", (t: string): XmlDocument => readXml(t)],
])("%s", (_name, parse) => {
  const reason = (text: string): string | undefined => rejectionOf(parse, text);

  describe("refuses hostile documents before building a tree", () => {
    it.each([
      ["an external entity", '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'],
      ["a remote DTD", '<?xml version="1.0"?><!DOCTYPE a SYSTEM "http://127.0.0.1/x.dtd"><a/>'],
      ["a parameter entity", '<!DOCTYPE a [<!ENTITY % p SYSTEM "http://127.0.0.1/p"> %p;]><a/>'],
      [
        "billion laughs",
        `<!DOCTYPE l [<!ENTITY l0 "ha">${Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join("")}]><l>&l9;</l>`,
      ],
      ["a lower-case doctype", "<!doctype a><a/>"],
      ["an ENTITY declaration alone", '<a><!ENTITY x "y"></a>'],
    ])("%s → doctype", (_label, text) => {
      expect(reason(text)).toBe("doctype");
    });

    it("an entity that was never declared → malformed", () => {
      expect(reason("<a>&xxe;</a>")).toBe("malformed");
    });

    it("over the size cap → too-large, whatever the content", () => {
      expect(reason(`<a>${"x".repeat(DEFAULT_LIMITS.maxBytes)}</a>`)).toBe("too-large");
      // Counted in bytes, not characters: two-byte characters reach the cap at half the length.
      expect(reason(`<a>${"é".repeat(DEFAULT_LIMITS.maxBytes / 2)}</a>`)).toBe("too-large");
    });

    it.each([
      ["ASCII names", "a"],
      ["non-ASCII names", "é"],
      ["names starting with an underscore", "_x"],
      ["prefixed non-ASCII names", "p:ü"],
      ["names starting with a CJK character", "元"],
    ])("nesting deeper than the cap, %s → too-deep", (_label, name) => {
      const depth = DEFAULT_LIMITS.maxDepth + 1;
      expect(reason(`${`<${name}>`.repeat(depth)}${`</${name}>`.repeat(depth)}`)).toBe("too-deep");
      expect(reason(`${`<${name} x="/">`.repeat(depth)}${`</${name}>`.repeat(depth)}`)).toBe("too-deep");
    });

    it("more elements than the cap → too-many; self-closing ones count", () => {
      expect(reason(`<r>${"<a/>".repeat(DEFAULT_LIMITS.maxElements)}</r>`)).toBe("too-many");
      expect(reason(`<r>${"<é></é>".repeat(DEFAULT_LIMITS.maxElements)}</r>`)).toBe("too-many");
    });

    it("an element with more attributes than the cap → too-many", () => {
      const attrs = Array.from({ length: DEFAULT_LIMITS.maxAttributes + 1 }, (_, i) => `a${i}="1"`).join(" ");
      expect(reason(`<r ${attrs}/>`)).toBe("too-many");
      const ns = Array.from({ length: 20 }, (_, i) => `xmlns:p${i}="urn:p${i}"`).join(" ");
      expect(parse(`<r ${ns} a='1' b="2"/>`).documentElement?.getAttribute("b")).toBe("2");
    });

    it("comment, CDATA and processing-instruction markers are not elements", () => {
      const doc = parse(`<?pi x?><r><!--${"<!-- -->".length}--><![CDATA[<b>]]>${"<?p?>".repeat(100)}</r>`);
      expect(doc.documentElement?.localName).toBe("r");
    });

    it("reads an ordinary document at the caps' edge", () => {
      const depth = DEFAULT_LIMITS.maxDepth;
      const doc = parse(`${"<é>".repeat(depth)}x${"</é>".repeat(depth)}`);
      expect(doc.documentElement?.textContent).toBe("x");
    });

    it("a truncated document → malformed", () => {
      expect(reason('<s:Envelope xmlns:s="urn:s"><s:Body><a>')).toBe("malformed");
    });
  });
});

describe("readXml refuses what is not well-formed", () => {
  const reason = (xml: string): string | undefined => rejectionOf(readXml, xml);
  it.each([
    ["an unbound prefix", "<p:a/>"],
    ["a mismatched end tag", "<a><b></a></b>"],
    ["text after the root", "<a/>x"],
    ["two roots", "<a/><b/>"],
    ["an undefined entity", "<a>&nbsp;</a>"],
    ["an attribute twice", '<a x="1" x="2"/>'],
    ["an unquoted attribute", "<a x=1/>"],
    ["a lone ampersand", "<a>AT&T</a>"],
    ["nothing at all", ""],
    ["only a comment", "<!-- x -->"],
  ])("%s → malformed", (_label, xml) => {
    // Stricter than xmldom, which lets an unbound prefix, a stray end tag or a bare `&` through.
    expect(reason(xml)).toBe("malformed");
  });
});
