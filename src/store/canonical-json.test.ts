import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { canonicalJson } from "./canonical-json.js";

describe("canonicalJson", () => {
  it("sorts keys at every depth and writes no whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null], c: "x" } })).toBe(
      '{"a":{"c":"x","d":[true,null]},"b":1}',
    );
  });

  it("gives the same text whatever the key order", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
      }),
    );
  });

  it("reads back to an equal value and writes again the same text", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });

  it("leaves out undefined members, like JSON", () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });

  it.each([
    ["a non-finite number", { n: Number.NaN }],
    ["infinity", [Number.POSITIVE_INFINITY]],
    ["a bigint", { n: 1n }],
    ["a function", { f: () => 1 }],
    ["undefined in an array", [undefined]],
    ["a Date", { at: new Date(0) }],
  ])("refuses %s", (_what, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it("refuses a cycle but accepts the same object twice side by side", () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
  });
});
