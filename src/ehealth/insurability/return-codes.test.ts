import { describe, expect, it } from "vitest";
import { BAD_INPUT_DETAIL, isOutage, kindOf, RETURN_CODES, returnCodeFor } from "./return-codes.js";

describe("the ReturnCode table", () => {
  it("has one entry per kind, each with a distinct Major/Minor of the XSD's lengths", () => {
    const pairs = Object.values(RETURN_CODES).map((e) => `${e.major}/${e.minor}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    for (const e of Object.values(RETURN_CODES)) {
      expect(e.major).toMatch(/^[0-9]{2}$/);
      expect(e.minor).toMatch(/^[0-9]{2}$/);
      expect(e.detail).toMatch(/^[0-9]{5}$/);
    }
    for (const detail of Object.values(BAD_INPUT_DETAIL)) expect(detail).toMatch(/^[0-9]{5}$/);
  });

  it("keeps the only attested code: success is 01/00/00000", () => {
    expect(returnCodeFor("insured")).toEqual({ major: "01", minor: "00", detail: "00000" });
  });

  it("reads the kind from Major and Minor, whatever the Detail", () => {
    for (const [kind, e] of Object.entries(RETURN_CODES)) {
      expect(kindOf({ major: e.major, minor: e.minor, detail: "99999" })).toBe(kind);
    }
    expect(kindOf({ major: "77", minor: "00", detail: "00000" })).toBe("unrecognized");
  });

  it("separates outages from business answers (SPEC §1.4)", () => {
    expect(isOutage("insurer-unavailable")).toBe(true);
    expect(isOutage("unrecognized")).toBe(true);
    for (const kind of [
      "insured",
      "no-right",
      "unknown-patient",
      "date-in-future",
      "bad-input",
      "multiple-insurers",
    ] as const) {
      expect(isOutage(kind)).toBe(false);
    }
  });

  it("lets bad-input say which field", () => {
    expect(returnCodeFor("bad-input", BAD_INPUT_DETAIL.nissChecksum)).toEqual({
      major: "03",
      minor: "02",
      detail: "10012",
    });
  });
});
