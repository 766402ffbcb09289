// What the NIHII check digits detect, and exactly what they cannot.
//
// With S = base6 + cc (cc = digits 7–8), scheme mod97 holds iff S ≡ 0 (mod 97) and cc ∈ 01–97,
// scheme mod89 iff S ≡ 0 (mod 89) and cc ∈ 01–89. A single-digit change or an adjacent swap in
// the 8-digit identity adds δ·w to S with 0 < |δ·w| and δ·w a product of factors below 89, so it is
// never ≡ 0 modulo either prime: a number never stays valid under its own scheme, and a number
// valid under both ("both") detects every such error. But because validity under *either* scheme
// is accepted, an error is missed exactly when the changed number happens to satisfy the other
// scheme. Unlike NISS this depends on the number, not only on the error, so the cases are counted
// exhaustively over all 10⁶ bases (everything parseNihii accepts) and then checked on parseNihii.
// The 3-digit qualification of an 11-digit number is covered by no check digit at all.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeNihii, parseNihii } from "./nihii.js";

// An independent oracle: bit 1 = mod97 holds, bit 2 = mod89 holds.
const MOD97 = 1;
const MOD89 = 2;
const schemesOf = (number8: number): number => {
  const base6 = Math.floor(number8 / 100);
  const cc = number8 % 100;
  return (cc === 97 - (base6 % 97) ? MOD97 : 0) | (cc === 89 - (base6 % 89) ? MOD89 : 0);
};
const WEIGHTS = [1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];

interface Census {
  numbers: number;
  validUnderBoth: number;
  singleChanges: number;
  singleMissed: { mod97ToMod89: number; mod89ToMod97: number; other: number };
  swaps: number;
  swapsMissed: { mod97ToMod89: number; mod89ToMod97: number; other: number };
}

function census(): Census {
  const c: Census = {
    numbers: 0,
    validUnderBoth: 0,
    singleChanges: 0,
    singleMissed: { mod97ToMod89: 0, mod89ToMod97: 0, other: 0 },
    swaps: 0,
    swapsMissed: { mod97ToMod89: 0, mod89ToMod97: 0, other: 0 },
  };
  const tally = (missed: Census["singleMissed"], from: number, to: number): void => {
    if (from === MOD97 && to === MOD89) missed.mod97ToMod89 += 1;
    else if (from === MOD89 && to === MOD97) missed.mod89ToMod97 += 1;
    else missed.other += 1; // any same-scheme escape, or one from or to "both"
  };
  const digits = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let base6 = 0; base6 < 1_000_000; base6 += 1) {
    const a = 97 - (base6 % 97);
    const b = 89 - (base6 % 89);
    for (const cc of a === b ? [a] : [a, b]) {
      const number = base6 * 100 + cc;
      const from = schemesOf(number);
      c.numbers += 1;
      if (from === (MOD97 | MOD89)) c.validUnderBoth += 1;
      for (let i = 7, rest = number; i >= 0; i -= 1, rest = Math.floor(rest / 10)) digits[i] = rest % 10;
      for (let p = 0; p < 8; p += 1) {
        const d = digits[p] ?? 0;
        for (let digit = 0; digit <= 9; digit += 1) {
          if (digit === d) continue;
          c.singleChanges += 1;
          const to = schemesOf(number + (digit - d) * (WEIGHTS[p] ?? 0));
          if (to !== 0) tally(c.singleMissed, from, to);
        }
      }
      for (let p = 0; p < 7; p += 1) {
        const here = digits[p] ?? 0;
        const next = digits[p + 1] ?? 0;
        if (here === next) continue;
        c.swaps += 1;
        const to = schemesOf(number + (next - here) * ((WEIGHTS[p] ?? 0) - (WEIGHTS[p + 1] ?? 0)));
        if (to !== 0) tally(c.swapsMissed, from, to);
      }
    }
  }
  return c;
}

describe("NIHII error detection — exhaustive over every 6-digit base", () => {
  it("misses ≈1 % of single changes and swaps, always by crossing from one scheme to the other", () => {
    expect(census()).toEqual({
      // 2 × 10⁶ check pairs, minus the 10 235 bases where both schemes agree (9 256 of them
      // from 100000 up, as domain-rules §2.2 counts)
      numbers: 1_989_765,
      validUnderBoth: 10_235,
      singleChanges: 143_263_080,
      // 1 476 818 missed (1.03 %), symmetric because "differs in one digit" is symmetric;
      // none from or to a number valid under both, none within one scheme
      singleMissed: { mod97ToMod89: 738_409, mod89ToMod97: 738_409, other: 0 },
      swaps: 12_562_915,
      // 128 944 missed (1.03 %)
      swapsMissed: { mod97ToMod89: 64_472, mod89ToMod97: 64_472, other: 0 },
    });
  });

  it("counts 9 256 bases from 100000 up where both schemes give the same pair (domain-rules §2.2)", () => {
    let both = 0;
    for (let base6 = 100_000; base6 < 1_000_000; base6 += 1)
      if (97 - (base6 % 97) === 89 - (base6 % 89)) both += 1;
    expect(both).toBe(9_256);
  });
});

describe("NIHII error detection — parseNihii agrees with the characterisation", () => {
  const made = fc
    .record({
      base6: fc.integer({ min: 0, max: 999_999 }),
      scheme: fc.constantFrom("mod97" as const, "mod89" as const),
      qualification: fc.option(fc.stringMatching(/^[0-9]{3}$/), { nil: undefined }),
    })
    .map(({ base6, scheme, qualification }) => makeNihii(base6, qualification, scheme));

  const expectMissedOnlyAcrossSchemes = (original: string, changed: string): boolean => {
    const from = schemesOf(Number(original.slice(0, 8)));
    const to = schemesOf(Number(changed.slice(0, 8)));
    const result = parseNihii(changed);
    if (to === 0) {
      expect(result.ok ? null : result.code).toBe("NIHII_CHECKSUM");
      return false;
    }
    // missed: only by landing on the other scheme, from a number valid under one scheme only
    expect(from === MOD97 ? MOD89 : from === MOD89 ? MOD97 : "never from both").toBe(to);
    expect(result.ok && result.value.scheme).toBe(to === MOD97 ? "mod97" : "mod89");
    return true;
  };

  it("a single change in the identity is missed iff the result satisfies the other scheme", () => {
    let missed = 0;
    fc.assert(
      fc.property(made, (number) => {
        for (let p = 0; p < 8; p += 1) {
          for (let digit = 0; digit <= 9; digit += 1) {
            if (String(digit) === number[p]) continue;
            const changed = number.slice(0, p) + String(digit) + number.slice(p + 1);
            if (expectMissedOnlyAcrossSchemes(number, changed)) missed += 1;
          }
        }
      }),
      { numRuns: 1500 },
    );
    expect(missed).toBeGreaterThan(0);
  });

  it("a swap in the identity is missed iff the result satisfies the other scheme", () => {
    let missed = 0;
    fc.assert(
      fc.property(made, (number) => {
        for (let p = 0; p < 7; p += 1) {
          if (number[p] === number[p + 1]) continue;
          const swapped =
            number.slice(0, p) + (number[p + 1] ?? "") + (number[p] ?? "") + number.slice(p + 2);
          if (expectMissedOnlyAcrossSchemes(number, swapped)) missed += 1;
        }
      }),
      { numRuns: 10000 },
    );
    expect(missed).toBeGreaterThan(0);
  });

  it.each([
    // a doctor (mod97) mistyped into a pharmacist's base (mod89)
    ["10829059", "20829059", "mod89"],
    ["20000014", "20700014", "mod89"],
    // swap of digits 4 and 5
    ["10027028", "10072028", "mod89"],
  ])("example: %s mistyped as %s is valid under %s", (typed, mistyped, scheme) => {
    expect(parseNihii(typed).ok).toBe(true);
    const result = parseNihii(mistyped);
    expect(result.ok && result.value.scheme).toBe(scheme);
  });

  it("never detects a change in the qualification: no check digit covers it", () => {
    fc.assert(
      fc.property(made, fc.stringMatching(/^[0-9]{3}$/), (number, qualification) => {
        const requalified = number.slice(0, 8) + qualification;
        const result = parseNihii(requalified);
        expect(result.ok && result.value.qualification).toBe(qualification);
      }),
    );
  });
});
