import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NATIONAL_UNIONS, parseMutuality } from "./mutuality.js";
import type { NationalUnion } from "./mutuality.js";

describe("parseMutuality", () => {
  it.each([
    ["100", 100],
    ["120", 100],
    ["200", 200],
    ["319", 300],
    ["400", 400],
    ["501", 500],
    ["600", 600],
    ["675", 600],
    ["699", 600],
    ["900", 900],
    ["998", 900],
  ] as const)("%s belongs to national union %i and is served through it", (code, union) => {
    const result = parseMutuality(code);
    expect(result).toEqual({
      ok: true,
      value: { code, nationalUnion: union, union: NATIONAL_UNIONS[union], servedThrough: union },
    });
  });

  it.each(["750", "999"])(
    "%s is a special fund served through CAAMI/HZIV (600), not its first digit",
    (code) => {
      const result = parseMutuality(code);
      if (!result.ok) throw new Error(result.code);
      expect(result.value).toMatchObject({ code, nationalUnion: 600, servedThrough: 600 });
      expect(result.value.union).toMatch(/CAAMI\/HZIV/);
      expect(result.value.union).not.toBe(NATIONAL_UNIONS[600]);
    },
  );

  it.each([
    "000",
    "099",
    "700",
    "749",
    "751",
    "800",
    "12",
    "1234",
    "abc",
    "",
    " 120",
    "120 ",
    "1 20",
    "１２０",
  ])("refuses %j with MUTUALITY_FORMAT", (input) => {
    expect(parseMutuality(input)).toEqual({ ok: false, code: "MUTUALITY_FORMAT" });
  });

  it.each([null, undefined, 120, ["120"]])("refuses the non-string %j with MUTUALITY_FORMAT", (input) => {
    expect(parseMutuality(input as unknown as string)).toEqual({ ok: false, code: "MUTUALITY_FORMAT" });
  });

  it("accepts exactly the genins pattern 750|999|[1-69][0-9]{2} over every 3-digit string", () => {
    for (let n = 0; n <= 999; n += 1) {
      const code = String(n).padStart(3, "0");
      const expected = n === 750 || (n >= 100 && n <= 699) || n >= 900;
      expect(parseMutuality(code).ok, code).toBe(expected);
    }
  });

  it("maps every accepted code to one of the seven unions", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{3}$/), (code) => {
        const result = parseMutuality(code);
        if (!result.ok) return;
        expect(Object.keys(NATIONAL_UNIONS).map(Number)).toContain(result.value.servedThrough);
      }),
    );
  });
});

describe("NATIONAL_UNIONS", () => {
  it("holds the seven national unions with a name each, frozen", () => {
    expect(Object.keys(NATIONAL_UNIONS).map(Number)).toEqual([100, 200, 300, 400, 500, 600, 900]);
    for (const name of Object.values(NATIONAL_UNIONS)) expect(name.length).toBeGreaterThan(5);
    expect(Object.isFrozen(NATIONAL_UNIONS)).toBe(true);
    const union: NationalUnion = 600;
    expect(NATIONAL_UNIONS[union]).toMatch(/CAAMI/);
  });
});
