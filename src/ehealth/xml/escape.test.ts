import { expect, it } from "vitest";
import { escapeXml } from "./escape.js";
import { parseXml } from "./parse.js";

it("escapes markup and keeps line ends through a parser", () => {
  const value = `a&b<c>"d'e\rf\r\ng\u2028h\u2029i\u0085j`;
  expect(escapeXml("<&>")).toBe("&lt;&amp;&gt;");
  const doc = parseXml(`<x a="${escapeXml(value)}">${escapeXml(value)}</x>`);
  expect(doc.documentElement?.textContent).toBe(value);
  expect(doc.documentElement?.getAttribute("a")).toBe(value);
});
