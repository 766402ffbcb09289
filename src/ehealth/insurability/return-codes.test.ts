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

  it("reads the kind from Major and Minor, whatever the Detail, when there is no Coverage", () => {
    for (const [kind, e] of Object.entries(RETURN_CODES)) {
      if (kind === "insured") continue;
      expect(kindOf({ major: e.major, minor: e.minor, detail: "99999" }, { coverage: false })).toEqual({
        kind,
        codeKnown: true,
      });
    }
  });

  it("reads the structure first: a Coverage is insured whatever the code (issue 13)", () => {
    expect(kindOf(returnCodeFor("insured"), { coverage: true })).toEqual({
      kind: "insured",
      codeKnown: true,
    });
    for (const code of ["01/01/40000", "02/01/40000", "05/01/00000", "77/00/00000"]) {
      const [major, minor, detail] = code.split("/") as [string, string, string];
      expect(kindOf({ major, minor, detail }, { coverage: true }), code).toEqual({
        kind: "insured",
        codeKnown: false,
      });
    }
  });

  it("lets the Major family decide where the table is silent, without Coverage", () => {
    const read = (major: string, minor: string) =>
      kindOf({ major, minor, detail: "00000" }, { coverage: false });
    expect(read("01", "00")).toEqual({ kind: "unknown", codeKnown: false });
    expect(read("01", "07")).toEqual({ kind: "unknown", codeKnown: false });
    expect(read("02", "04")).toEqual({ kind: "unknown", codeKnown: false });
    expect(read("03", "03")).toEqual({ kind: "bad-input", codeKnown: false });
    expect(read("09", "02")).toEqual({ kind: "insurer-unavailable", codeKnown: false });
    expect(read("05", "01")).toEqual({ kind: "unknown", codeKnown: false });
  });

  it("separates outages from business answers (SPEC §1.4): an unknown code is an answer", () => {
    expect(isOutage("insurer-unavailable")).toBe(true);
    for (const kind of [
      "insured",
      "no-right",
      "unknown-patient",
      "date-in-future",
      "bad-input",
      "multiple-insurers",
      "unknown",
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
