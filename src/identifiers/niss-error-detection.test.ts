// What the NISS check digits detect, and exactly what they cannot.
//
// Why the analysis is complete: with S = base9 + cc (cc = the last two digits, 01–97), a number
// satisfies the 1900 rule iff S ≡ 0 (mod 97) and the 2000 rule iff S + 2·10⁹ ≡ 0, i.e. S ≡ 29
// (2·10⁹ ≡ 68 ≡ −29). A typing error adds to S a shift that depends only on where it happens and
// by how much (digit i of base9 weighs 10^(8−i), the check digits weigh 10 and 1), never on the
// other digits. So the table of shifts mod 97 over every (position, change) proves which errors
// can keep a number valid: a shift ≡ 0 would keep the same rule, a shift ≡ ±29 swaps the century.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseNiss } from "./niss.js";

const WEIGHTS = [1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1, 10, 1];
const mod97 = (value: number): number => ((value % 97) + 97) % 97;
const TO_2000 = mod97(-2e9); // 29: a 1900-rule number shifted by this satisfies the 2000 rule
const TO_1900 = mod97(2e9); // 68: and the other way round

type Century = 1900 | 2000;
type Escape = { position: number; delta: number; shift: number };

const withCheck = (base9: string, century: Century): string => {
  const value = Number(base9) + (century === 2000 ? 2e9 : 0);
  return base9 + String(97 - (value % 97)).padStart(2, "0");
};

// Any valid number: every valid month band, any day 00–99 (counter exhaustion writes days past
// the month's end), any sequence 000–999, both centuries.
const validNumbers = fc
  .record({
    yy: fc.integer({ min: 0, max: 99 }),
    mm: fc.oneof(
      fc.integer({ min: 0, max: 12 }),
      fc.integer({ min: 20, max: 32 }),
      fc.integer({ min: 40, max: 52 }),
    ),
    dd: fc.integer({ min: 0, max: 99 }),
    seq: fc.integer({ min: 0, max: 999 }),
    century: fc.constantFrom<Century>(1900, 2000),
  })
  .map(({ yy, mm, dd, seq, century }) => {
    const base9 = [yy, mm, dd].map((n) => String(n).padStart(2, "0")).join("") + String(seq).padStart(3, "0");
    return { number: withCheck(base9, century), century };
  });

const codeOf = (input: string): string | null => {
  const result = parseNiss(input);
  return result.ok ? null : result.code;
};

const monthValid = (mm: number): boolean => mm <= 12 || (mm >= 20 && mm <= 32) || (mm >= 40 && mm <= 52);

describe("NISS single-digit changes", () => {
  it("proof: only a change of −6/+6 in the second digit (units of the year) can stay valid", () => {
    const escapes: Escape[] = [];
    WEIGHTS.forEach((weight, position) => {
      for (let delta = -9; delta <= 9; delta += 1) {
        if (delta === 0) continue;
        const shift = mod97(delta * weight);
        expect(shift).not.toBe(0); // 97 is prime and |delta|, 10 < 97: same rule always detected
        if (shift === TO_2000 || shift === TO_1900) escapes.push({ position, delta, shift });
      }
    });
    // 6·10⁷ ≡ 2·10⁹ (mod 97): lowering the year's units by 6 is, for the checksum, the same as
    // moving from the 1900 rule to the 2000 rule.
    expect(escapes).toEqual([
      { position: 1, delta: -6, shift: TO_2000 },
      { position: 1, delta: 6, shift: TO_1900 },
    ]);
  });

  it("detects every other single-digit change (NISS_CHECKSUM) and lets exactly those through", () => {
    let escaped = 0;
    fc.assert(
      fc.property(validNumbers, ({ number, century }) => {
        expect(codeOf(number)).toBeNull();
        const original = parseNiss(number);
        for (let position = 0; position < 11; position += 1) {
          for (let digit = 0; digit <= 9; digit += 1) {
            const delta = digit - Number(number[position]);
            if (delta === 0) continue;
            const changed = number.slice(0, position) + String(digit) + number.slice(position + 1);
            const undetectable = position === 1 && delta === (century === 1900 ? -6 : 6);
            const result = parseNiss(changed);
            if (!undetectable) {
              expect(result.ok ? null : result.code).toBe("NISS_CHECKSUM");
              continue;
            }
            escaped += 1;
            // valid, in the other century: year units −6 (+100) or +6 (−100); month untouched
            if (!result.ok || !original.ok) throw new Error("the century swap must validate");
            expect(result.value.kind).toBe(original.value.kind);
            expect(result.value.sex).toBe(original.value.sex);
            if (result.value.birthDate !== null && original.value.birthDate !== null) {
              const yearShift =
                Number(result.value.birthDate.slice(0, 4)) - Number(original.value.birthDate.slice(0, 4));
              expect(yearShift).toBe(century === 1900 ? 94 : -94);
            }
          }
        }
      }),
      { numRuns: 1500 },
    );
    expect(escaped).toBeGreaterThan(0); // the characterisation was exercised, not vacuous
  });

  it.each([
    // 1979-12-31 F → 2073-12-31 F
    ["79123100235", "73123100235", "2073-12-31"],
    // 2000-02-28 F → 1906-02-28 F
    ["00022899848", "06022899848", "1906-02-28"],
    // 1998-07-28 BIS → 2092-07-28 BIS
    ["98472899765", "92472899765", "2092-07-28"],
  ])("example: %s mistyped as %s is a valid number born %s", (typed, mistyped, birthDate) => {
    expect(codeOf(typed)).toBeNull();
    const result = parseNiss(mistyped);
    expect(result.ok && result.value.birthDate).toBe(birthDate);
  });
});

describe("NISS adjacent transpositions", () => {
  it("proof: only month digits differing by 2 and day digits differing by 6 can stay valid", () => {
    const escapes: Escape[] = [];
    for (let position = 0; position < 10; position += 1) {
      // swapping a (here) and b (next) adds (b − a)·(w_here − w_next)
      const weightDifference = (WEIGHTS[position] ?? 0) - (WEIGHTS[position + 1] ?? 0);
      for (let delta = -9; delta <= 9; delta += 1) {
        if (delta === 0) continue;
        const shift = mod97(delta * weightDifference);
        expect(shift).not.toBe(0);
        if (shift === TO_2000 || shift === TO_1900) escapes.push({ position, delta, shift });
      }
    }
    expect(escapes).toEqual([
      { position: 2, delta: -2, shift: TO_2000 },
      { position: 2, delta: 2, shift: TO_1900 },
      { position: 4, delta: -6, shift: TO_2000 },
      { position: 4, delta: 6, shift: TO_1900 },
    ]);
  });

  it("detects every other swap; the escapes are valid unless the swapped month is not a month", () => {
    const escaped = { month: 0, day: 0, monthRefused: 0 };
    fc.assert(
      fc.property(validNumbers, ({ number, century }) => {
        for (let position = 0; position < 10; position += 1) {
          const here = Number(number[position]);
          const next = Number(number[position + 1]);
          if (here === next) continue;
          const swapped =
            number.slice(0, position) + String(next) + String(here) + number.slice(position + 2);
          const delta = next - here;
          const code = codeOf(swapped);
          if (position === 2 && delta === (century === 1900 ? -2 : 2)) {
            const swappedMonthValid = monthValid(Number(swapped.slice(2, 4)));
            expect(code).toBe(swappedMonthValid ? null : "NISS_MONTH");
            if (swappedMonthValid) escaped.month += 1;
            else escaped.monthRefused += 1;
          } else if (position === 4 && delta === (century === 1900 ? -6 : 6)) {
            expect(code).toBeNull();
            escaped.day += 1;
          } else {
            expect(code).toBe("NISS_CHECKSUM");
          }
        }
      }),
      { numRuns: 3000 },
    );
    expect(escaped.month).toBeGreaterThan(0);
    expect(escaped.day).toBeGreaterThan(0);
    expect(escaped.monthRefused).toBeGreaterThan(0);
  });

  it("lists the month swaps: 02↔20 and 24↔42 stay valid, 31→13 and 46→64 are NISS_MONTH, nothing else", () => {
    const outcomes: string[] = [];
    for (let month = 0; month <= 99; month += 1) {
      const tens = Math.floor(month / 10);
      const units = month % 10;
      if (!monthValid(month) || Math.abs(units - tens) !== 2) continue;
      const century: Century = units - tens === 2 ? 2000 : 1900;
      const number = withCheck(`85${tens}${units}15123`, century);
      const swapped = `85${units}${tens}` + number.slice(4);
      outcomes.push(`${century} ${tens}${units}→${units}${tens} ${codeOf(swapped) ?? "valid"}`);
    }
    expect(outcomes).toEqual([
      "2000 02→20 valid",
      "1900 20→02 valid",
      "2000 24→42 valid",
      "1900 31→13 NISS_MONTH",
      "1900 42→24 valid",
      "2000 46→64 NISS_MONTH",
    ]);
  });

  it.each([
    // 2020-02-29 F → 1920, BIS with month and sex unknown
    ["20022900276", "20202900276", "bis", null, null],
    // 2000-02-28 F: day 28 ↔ 82 → 1900-02, day unknown
    ["00022899848", "00028299848", "national", null, "female"],
  ])(
    "example: %s swapped into %s is a valid %s number (birth date %s, sex %s)",
    (typed, swapped, kind, birthDate, sex) => {
      expect(codeOf(typed)).toBeNull();
      const result = parseNiss(swapped);
      expect(result.ok && result.value).toEqual({ normalized: swapped, kind, birthDate, sex });
    },
  );
});
