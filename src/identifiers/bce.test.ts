import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeBce, parseBce } from "./bce.js";

const codeOf = (input: string): string | null => {
  const r = parseBce(input);
  return r.ok ? null : r.code;
};

describe("parseBce — BCE/KBO enterprise numbers", () => {
  it.each([
    ["0202239951", "0202239951"],
    ["0202.239.951", "0202239951"],
    ["BE 0403 170 701", "0403170701"],
    ["be0403-170-701", "0403170701"],
    ["0417.497.106", "0417497106"],
  ])("%s is valid as %s", (input, normalized) => {
    expect(parseBce(input)).toEqual({ ok: true, value: { normalized } });
  });

  it.each(["0202239952", "0403170702", "0417497107", "1000000000"])("%s: BCE_CHECKSUM", (input) => {
    expect(codeOf(input)).toBe("BCE_CHECKSUM");
  });

  it.each(["", "202239951", "02022399510", "2202239951", "0202a39951", "NL0202239951", "0202_239_951"])(
    "%j: BCE_FORMAT",
    (input) => {
      expect(codeOf(input)).toBe("BCE_FORMAT");
    },
  );

  it("accepts every number makeBce builds and refuses each one with a wrong check", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 19_999_999 }), fc.integer({ min: 1, max: 96 }), (base, shift) => {
        const n = makeBce(base);
        expect(parseBce(n).ok).toBe(true);
        const check = (Number(n.slice(8)) + shift) % 100;
        const wrong = `${n.slice(0, 8)}${String(check).padStart(2, "0")}`;
        expect(codeOf(wrong)).toBe("BCE_CHECKSUM");
      }),
    );
  });

  it("refuses a base makeBce cannot number", () => {
    expect(() => makeBce(20_000_000)).toThrow(RangeError);
    expect(() => makeBce(1.5)).toThrow(RangeError);
  });
});
