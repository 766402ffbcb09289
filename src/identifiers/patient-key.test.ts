import { describe, expect, it } from "vitest";
import { isPatientKey, patientKeyOf, patientOfKey } from "./patient-key.js";

describe("patient key", () => {
  it("files a patient by NISS", () => {
    expect(patientKeyOf({ niss: "85010100116" })).toBe("niss:85010100116");
  });

  it("keeps the registration number verbatim, spaces and letters included", () => {
    const key = patientKeyOf({ mutuality: "120", registrationNumber: "000113 044M86" });
    expect(key).toBe("reg:120:000113 044M86");
    expect(patientOfKey(key)).toEqual({ mutuality: "120", registrationNumber: "000113 044M86" });
  });

  it("gives back the NISS of a NISS key", () => {
    expect(patientOfKey("niss:85010100116")).toEqual({ niss: "85010100116" });
  });

  it.each([
    "niss:8501010011",
    "niss:850101001166",
    "niss:8501010011x",
    "reg:120:",
    "reg:12:abc",
    "reg:700:abc",
    "reg:120:12345678901234",
    "x",
  ])("refuses %j", (value) => {
    expect(isPatientKey(value)).toBe(false);
  });

  it("counts a registration number in characters, not UTF-16 units", () => {
    expect(isPatientKey(`reg:120:${"é".repeat(13)}`)).toBe(true);
    expect(isPatientKey(`reg:120:${"😀".repeat(13)}`)).toBe(true);
    expect(isPatientKey(`reg:120:${"😀".repeat(14)}`)).toBe(false);
  });

  it("throws on an identification that is not one", () => {
    expect(() => patientKeyOf({ niss: "123" })).toThrow(RangeError);
    expect(() => patientKeyOf({ mutuality: "120", registrationNumber: "" })).toThrow(RangeError);
  });
});
