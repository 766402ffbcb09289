import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeNihii, parseNihii } from "./nihii.js";
import type { Nihii } from "./nihii.js";

const valid = (input: string): Nihii => {
  const result = parseNihii(input);
  if (!result.ok) throw new Error(`expected a valid NIHII, got ${result.code}`);
  return result.value;
};

const codeOf = (input: string): string | null => {
  const result = parseNihii(input);
  return result.ok ? null : result.code;
};

describe("parseNihii — domain-rules §2.4 vectors", () => {
  it.each([
    ["62599147", "mod97"],
    ["10829059", "mod97"],
    ["10000007", "mod97"],
    ["10000036", "mod89"],
  ] as const)("%s is a valid 8-digit number under %s", (input, scheme) => {
    expect(valid(input)).toEqual({
      normalized: input,
      kind: "organisation",
      identity: input,
      scheme,
      qualification: null,
      titularPharmacist: false,
    });
  });

  it.each([
    ["20000014001", "mod97"],
    ["20000072001", "mod89"],
  ] as const)("%s is a titular pharmacist under %s", (input, scheme) => {
    expect(valid(input)).toEqual({
      normalized: input,
      kind: "person",
      identity: input.slice(0, 8),
      scheme,
      qualification: "001",
      titularPharmacist: true,
    });
  });

  it.each(["12345678", "12345679", "20000093", "20000003"])("%s is refused with NIHII_CHECKSUM", (input) => {
    expect(codeOf(input)).toBe("NIHII_CHECKSUM");
  });

  it("reports 'both' when the two schemes give the same check pair (base 103507)", () => {
    expect(97 - (103507 % 97)).toBe(89 - (103507 % 89));
    expect(valid(makeNihii(103507)).scheme).toBe("both");
    expect(makeNihii(103507, undefined, "mod89")).toBe(makeNihii(103507));
  });
});

describe("parseNihii — format and qualification", () => {
  it.each([
    ["6259-91-47", "62599147"],
    ["2/00000/14/001", "20000014001"],
    ["2.00000.14.001", "20000014001"],
    ["2 00000 14 001", "20000014001"],
  ])("accepts the printed form %s", (input, normalized) => {
    expect(valid(input).normalized).toBe(normalized);
  });

  it.each(["", "6259914", "625991470", "6259914700", "625991470010", "6259914A", "62599147\n", "6259_9147"])(
    "refuses %j with NIHII_FORMAT",
    (input) => {
      expect(codeOf(input)).toBe("NIHII_FORMAT");
    },
  );

  it.each([null, undefined, 62599147, {}])("refuses the non-string %j with NIHII_FORMAT", (input) => {
    expect(codeOf(input as unknown as string)).toBe("NIHII_FORMAT");
  });

  it("never accepts the check pair 00", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999 }), (base6) => {
        expect(codeOf(`${String(base6).padStart(6, "0")}00`)).toBe("NIHII_CHECKSUM");
      }),
    );
  });

  it("marks as titular pharmacist only profession 2 with qualification 001", () => {
    expect(valid("20000014002").titularPharmacist).toBe(false); // assistant
    expect(valid("20000014003").titularPharmacist).toBe(false); // replacement
    expect(valid("20000014").titularPharmacist).toBe(false); // no qualification
    const doctor001 = makeNihii(100000, "001");
    expect(valid(doctor001)).toMatchObject({
      kind: "person",
      qualification: "001",
      titularPharmacist: false,
    });
  });

  it("keeps the identity (first 8 digits) across qualifications", () => {
    expect(valid("20000014002").identity).toBe(valid("20000014001").identity);
  });
});

describe("makeNihii", () => {
  it("makes numbers that validate under the asked scheme and give back their parts", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999_999 }),
        fc.option(fc.stringMatching(/^[0-9]{3}$/), { nil: undefined }),
        fc.constantFrom("mod97" as const, "mod89" as const),
        (base6, qualification, scheme) => {
          const number = makeNihii(base6, qualification, scheme);
          const parsed = valid(number);
          expect(number.slice(0, 6)).toBe(String(base6).padStart(6, "0"));
          expect(["both", scheme]).toContain(parsed.scheme);
          expect(parsed.kind).toBe(qualification === undefined ? "organisation" : "person");
          expect(parsed.qualification).toBe(qualification ?? null);
          expect(parsed.identity).toBe(number.slice(0, 8));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("defaults to mod 97, the scheme of the pharmacy sample", () => {
    expect(makeNihii(625991)).toBe("62599147");
    expect(makeNihii(100000, undefined, "mod89")).toBe("10000036");
    expect(makeNihii(200000, "001", "mod89")).toBe("20000072001");
  });

  it.each([
    [-1, undefined],
    [1_000_000, undefined],
    [1.5, undefined],
    [100000, "01"],
    [100000, "0001"],
    [100000, "abc"],
  ] as const)("throws a RangeError for base %s, qualification %j", (base6, qualification) => {
    expect(() => makeNihii(base6, qualification)).toThrow(RangeError);
  });
});
