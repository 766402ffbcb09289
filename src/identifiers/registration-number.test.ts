import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRegistrationNumber } from "./registration-number.js";

const FAIL = { ok: false, code: "REGISTRATION_NUMBER_FORMAT" };

describe("parseRegistrationNumber", () => {
  // domain-rules §3.2: seen in MDA and RECIPE artefacts
  it.each(["000113 044M86", "0001995151258", "678687687567", "1", "a", " 12 ", "ab-12/3.x", "Ézéchiel 12"])(
    "keeps %j verbatim",
    (input) => {
      expect(parseRegistrationNumber(input)).toEqual({ ok: true, value: input });
    },
  );

  it("counts characters, not UTF-16 units: 13 astral characters pass, 14 do not", () => {
    expect(parseRegistrationNumber("𝟙".repeat(13)).ok).toBe(true);
    expect(parseRegistrationNumber("𝟙".repeat(14))).toEqual(FAIL);
  });

  it.each([
    "",
    "   ",
    "12345678901234",
    "12\t34",
    "1234\n",
    "12\u000034",
    "12\u007f34",
    "12\u008534",
    "12\ud80034",
    "12\uffff",
  ])("refuses %j", (input) => {
    expect(parseRegistrationNumber(input)).toEqual(FAIL);
  });

  it.each([null, undefined, 1234, {}])("refuses the non-string %j", (input) => {
    expect(parseRegistrationNumber(input as unknown as string)).toEqual(FAIL);
  });

  it("returns any printable string of 1–13 characters unchanged (no trim, no case change)", () => {
    const printable = fc
      .string({ unit: fc.constantFrom(..." aZ09-/.éM".split("")), minLength: 1, maxLength: 13 })
      .filter((s) => s.trim() !== "");
    fc.assert(
      fc.property(printable, (input) => {
        expect(parseRegistrationNumber(input)).toEqual({ ok: true, value: input });
      }),
    );
  });
});
