import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeNiss, normalizeNiss, parseNiss, withCheckDigits } from "./niss.js";
import type { Niss } from "./niss.js";

const valid = (input: string): Niss => {
  const result = parseNiss(input);
  if (!result.ok) throw new Error(`expected a valid NISS, got ${result.code}`);
  return result.value;
};

const codeOf = (input: string): string | null => {
  const result = parseNiss(input);
  return result.ok ? null : result.code;
};

// domain-rules §1.5, every vector, with what it means.
const VALID: ReadonlyArray<readonly [string, Niss["kind"], string | null, Niss["sex"]]> = [
  ["85073003328", "national", "1985-07-30", "male"],
  ["17073003384", "national", "2017-07-30", "male"],
  ["42012205181", "national", "1942-01-22", "male"],
  ["93051822361", "national", "1993-05-18", "male"],
  ["85061300178", "national", "1985-06-13", "male"],
  ["79123100235", "national", "1979-12-31", "female"],
  ["05061300176", "national", "2005-06-13", "male"],
  ["00022899848", "national", "2000-02-28", "female"],
  ["20022900276", "national", "2020-02-29", "female"],
  ["00000100166", "national", null, "male"],
  ["00000100195", "national", null, "male"],
  ["00000000128", "national", null, "male"],
  ["00010000135", "national", null, "male"],
  ["85073500107", "national", null, "male"],
  ["98472899765", "bis", "1998-07-28", "male"],
  ["01490700185", "bis", "2001-09-07", "male"],
  ["75460898095", "bis", "1975-06-08", "female"],
  ["87521500290", "bis", "1987-12-15", "female"],
  ["87321500544", "bis", "1987-12-15", null],
  ["12222800575", "bis", "2012-02-28", null],
  ["00400100155", "bis", null, "male"],
  ["00400100184", "bis", null, "male"],
  ["00200100112", "bis", null, null],
  ["00410000124", "bis", null, "male"],
  // policy-dependent vectors: day past the month's end = unknown; sequences 000 and 999 accepted
  ["99023100195", "national", null, "male"],
  ["85061300079", "national", "1985-06-13", "female"],
  ["85061399950", "national", "1985-06-13", "male"],
  // synthetic vectors of the notes
  ["90010100123", "national", "1990-01-01", "male"],
  ["90010100222", "national", "1990-01-01", "female"],
  ["00010100105", "national", "2000-01-01", "male"],
  ["00010100204", "national", "2000-01-01", "female"],
  ["24022900263", "national", "2024-02-29", "female"],
];

const INVALID: ReadonlyArray<readonly [string, string]> = [
  ["12345678901", "NISS_CHECKSUM"],
  ["85061300179", "NISS_CHECKSUM"],
  ["85133000105", "NISS_MONTH"],
  ["85533000191", "NISS_MONTH"],
  ["85333000148", "NISS_MONTH"],
  ["87601500150", "NISS_MONTH"],
  ["8506130017", "NISS_FORMAT"],
  ["8506130017A", "NISS_FORMAT"],
  ["20020142173", "NISS_CHECKSUM"],
];

describe("parseNiss — domain-rules §1.5 vectors", () => {
  it.each(VALID)("%s is a valid %s number (birth date %s, sex %s)", (input, kind, birthDate, sex) => {
    expect(valid(input)).toEqual({ normalized: input, kind, birthDate, sex });
  });

  it.each(INVALID)("%s is refused with %s", (input, code) => {
    expect(codeOf(input)).toBe(code);
  });
});

describe("parseNiss — format", () => {
  it.each([
    ["85.07.30-033.28", "85073003328"],
    ["85 07 30 033 28", "85073003328"],
    ["85/07/30-033/28", "85073003328"],
    [" 85073003328 ", "85073003328"],
    ["05.06.13-001.76", "05061300176"],
  ])("accepts the printed form %s", (input, normalized) => {
    expect(valid(input).normalized).toBe(normalized);
  });

  it.each([
    "",
    "         ",
    "850730033280",
    "850730033",
    "85O73003328",
    "85073003328\t",
    "85_07_30_033_28",
    "８５０７３００３３２８",
    "+8507300332",
  ])("refuses %j with NISS_FORMAT", (input) => {
    expect(codeOf(input)).toBe("NISS_FORMAT");
  });

  it.each([null, undefined, 85073003328, {}, ["85073003328"]])(
    "refuses the non-string %j with NISS_FORMAT",
    (input) => {
      expect(codeOf(input as unknown as string)).toBe("NISS_FORMAT");
    },
  );

  it("normalizeNiss strips only spaces, dots, dashes and slashes", () => {
    expect(normalizeNiss(" 85.07/30-033 28 ")).toBe("85073003328");
    expect(normalizeNiss("85_07a")).toBe("85_07a");
  });

  it("checks the checksum before the month: a bad month with a bad checksum is NISS_CHECKSUM", () => {
    expect(codeOf("85133000106")).toBe("NISS_CHECKSUM");
  });

  it("keeps the leading zero of people born 1900–1909 and 2000–2009", () => {
    const born1905 = makeNiss({ birthDate: "1905-03-04", sequence: 7 });
    expect(born1905).toMatch(/^05/);
    expect(valid(born1905)).toMatchObject({ normalized: born1905, birthDate: "1905-03-04" });
  });
});

describe("parseNiss — months, days and sex", () => {
  it("refuses every month outside 00–12, 20–32 and 40–52 with NISS_MONTH", () => {
    for (let month = 0; month <= 99; month += 1) {
      const mm = String(month).padStart(2, "0");
      const base = `85${mm}15123`;
      const number = base + String(97 - (Number(base) % 97)).padStart(2, "0");
      const inRange = month <= 12 || (month >= 20 && month <= 32) || (month >= 40 && month <= 52);
      expect(codeOf(number), mm).toBe(inRange ? null : "NISS_MONTH");
    }
  });

  it("reads BIS +40 as sex known and +20 as sex unknown (domain-rules §0 correction)", () => {
    const known = valid(makeNiss({ birthDate: "1987-12-15", sequence: 3, bis: "sex-known" }));
    const unknown = valid(makeNiss({ birthDate: "1987-12-15", sequence: 3, bis: "sex-unknown" }));
    expect(known).toMatchObject({ kind: "bis", birthDate: "1987-12-15", sex: "male" });
    expect(unknown).toMatchObject({ kind: "bis", birthDate: "1987-12-15", sex: null });
    expect(known.normalized.slice(2, 4)).toBe("52");
    expect(unknown.normalized.slice(2, 4)).toBe("32");
  });

  it("treats day 00 and a day past the month's end as an unknown day, not an error", () => {
    expect(valid(makeNiss({ birthDate: "1985-07-00", sequence: 1 })).birthDate).toBeNull();
    expect(valid(makeNiss({ birthDate: "1985-04-31", sequence: 1 })).birthDate).toBeNull();
    expect(valid(makeNiss({ birthDate: "1900-02-29", sequence: 1 })).birthDate).toBeNull();
    expect(valid(makeNiss({ birthDate: "2000-02-29", sequence: 1 })).birthDate).toBe("2000-02-29");
  });

  it("gives no birth date for the fictitious dates 000001, 002001 and 004001", () => {
    for (const bis of [undefined, "sex-unknown", "sex-known"] as const) {
      for (const year of ["1900", "2000"]) {
        const number = makeNiss({ birthDate: `${year}-00-01`, sequence: 12, bis });
        expect(number.slice(0, 6)).toMatch(/^00(00|20|40)01$/);
        expect(valid(number).birthDate).toBeNull();
      }
    }
  });
});

describe("makeNiss", () => {
  const birthDates = fc
    .date({
      min: new Date("1900-01-01T00:00:00Z"),
      max: new Date("2099-12-31T00:00:00Z"),
      noInvalidDate: true,
    })
    .map((date) => date.toISOString().slice(0, 10));
  const kinds = fc.constantFrom(undefined, "sex-known" as const, "sex-unknown" as const);

  it("makes numbers that validate and give back their birth date, kind and sex", () => {
    fc.assert(
      fc.property(birthDates, fc.integer({ min: 1, max: 998 }), kinds, (birthDate, sequence, bis) => {
        const number = makeNiss({ birthDate, sequence, bis });
        expect(number).toMatch(/^[0-9]{11}$/);
        const expectedSex = bis === "sex-unknown" ? null : sequence % 2 === 1 ? "male" : "female";
        expect(valid(number)).toEqual({
          normalized: number,
          kind: bis === undefined ? "national" : "bis",
          birthDate,
          sex: expectedSex,
        });
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    [{ birthDate: "1899-12-31", sequence: 1 }],
    [{ birthDate: "2100-01-01", sequence: 1 }],
    [{ birthDate: "1985-13-01", sequence: 1 }],
    [{ birthDate: "1985-01-32", sequence: 1 }],
    [{ birthDate: "85-01-01", sequence: 1 }],
    [{ birthDate: "1985-01-01", sequence: -1 }],
    [{ birthDate: "1985-01-01", sequence: 1000 }],
    [{ birthDate: "1985-01-01", sequence: 1.5 }],
  ])("throws a RangeError for %j", (parts) => {
    expect(() => makeNiss(parts)).toThrow(RangeError);
  });
});

describe("withCheckDigits", () => {
  it("completes a base into a number parseNiss accepts, in the right century", () => {
    expect(withCheckDigits("850730033")).toBe("85073003328");
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999_999_999 }),
        fc.constantFrom(1900 as const, 2000 as const),
        (n, century) => {
          const niss = withCheckDigits(String(n).padStart(9, "0"), century);
          const back = parseNiss(niss);
          // A base whose month is not a NISS month fails on its month, never on its check digits.
          expect(back.ok || back.code === "NISS_MONTH").toBe(true);
          expect(niss.slice(0, 9)).toBe(String(n).padStart(9, "0"));
        },
      ),
    );
  });

  it("refuses a base that is not 9 digits", () => {
    expect(() => withCheckDigits("12345678")).toThrow(RangeError);
  });
});
