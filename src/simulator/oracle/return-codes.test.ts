import { describe, expect, it } from "vitest";
import { codeFor, isOrdinaryCode, parseCode, UNKNOWN_CODES } from "./return-codes.js";

describe("the simulator's return codes", () => {
  it("writes the attested success code for an insured patient", () => {
    expect(codeFor("insured")).toEqual({ major: "01", minor: "00", detail: "00000" });
    expect(codeFor("bad-input", "10012")).toEqual({ major: "03", minor: "02", detail: "10012" });
  });
  it("has, for each Major family, a code outside its ordinary answers", () => {
    for (const { code } of Object.values(UNKNOWN_CODES)) expect(isOrdinaryCode(code)).toBe(false);
    expect(UNKNOWN_CODES.success.coverage).toBe(true);
    expect(UNKNOWN_CODES["no-right"]).toEqual({
      code: { major: "02", minor: "04", detail: "40040" },
      coverage: false,
    });
  });
  it("reads MM/mm/DDDDD", () => {
    expect(parseCode("02/04/40040")).toEqual({ major: "02", minor: "04", detail: "40040" });
    expect(parseCode("2/4/40040")).toBeUndefined();
  });
});
