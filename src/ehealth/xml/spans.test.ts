import { describe, expect, it } from "vitest";
import { elementSpans } from "./spans.js";

describe("elementSpans", () => {
  it("finds the shallow elements with their exact positions", () => {
    const xml = `<?xml version="1.0"?><!-- c --><a x='1>2'><b/><c><d>t</d></c></a>`;
    const spans = elementSpans(xml, 1);
    expect(spans.map((s) => [s.name, s.depth, xml.slice(s.start, s.end)])).toEqual([
      ["a", 0, `<a x='1>2'><b/><c><d>t</d></c></a>`],
      ["b", 1, "<b/>"],
      ["c", 1, "<c><d>t</d></c>"],
    ]);
    const a = spans[0]!;
    expect(xml.slice(a.start, a.startTagEnd)).toBe(`<a x='1>2'>`);
    expect(spans[1]?.selfClosing).toBe(true);
  });

  it("skips comments, CDATA and processing instructions that look like tags", () => {
    const xml = `<r><!-- <x> --><![CDATA[</r><y>]]><?pi <z>?><k a="/>"/></r>`;
    expect(elementSpans(xml, 5).map((s) => s.name)).toEqual(["r", "k"]);
  });

  it("refuses unbalanced or unterminated markup and declarations", () => {
    expect(() => elementSpans("<a><b></a>", 3)).toThrow(SyntaxError);
    expect(() => elementSpans("<a>", 3)).toThrow(SyntaxError);
    expect(() => elementSpans("<a x='1", 3)).toThrow(SyntaxError);
    expect(() => elementSpans("<a><!-- x</a>", 3)).toThrow(SyntaxError);
    expect(() => elementSpans("<!DOCTYPE a><a/>", 3)).toThrow(SyntaxError);
    expect(() => elementSpans("<a></>", 3)).toThrow(SyntaxError);
  });
});
