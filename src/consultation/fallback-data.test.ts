import { describe, expect, it } from "vitest";
import { readDocumentData } from "./fallback-data.js";

describe("readDocumentData (SIS card or document, SPEC §1.1–1.2)", () => {
  it("keeps CT1, CT2, the mutuality and the registration number verbatim", () => {
    expect(
      readDocumentData({ ct1: "131", ct2: "131", mutuality: "311", registrationNumber: "31 0048 302A" }),
    ).toEqual({
      ok: true,
      value: { ct1: "131", ct2: "131", mutuality: "311", registrationNumber: "31 0048 302A" },
    });
  });

  it("accepts a document without a registration number", () => {
    const r = readDocumentData({ ct1: "110", ct2: "110", mutuality: "750" });
    expect(r.ok && r.value.registrationNumber).toBeNull();
  });

  it.each([
    [{ ct2: "110", mutuality: "121" }, "ct1", "missing"],
    [{ ct1: "11", ct2: "110", mutuality: "121" }, "ct1", "format"],
    [{ ct1: "110", ct2: "1100", mutuality: "121" }, "ct2", "format"],
    [{ ct1: "110", ct2: "11a", mutuality: "121" }, "ct2", "format"],
    [{ ct1: "110", ct2: "110" }, "mutuality", "missing"],
    [{ ct1: "110", ct2: "110", mutuality: "800" }, "mutuality", "format"],
    [
      { ct1: "110", ct2: "110", mutuality: "121", registrationNumber: "12345678901234" },
      "registrationNumber",
      "format",
    ],
    [{ ct1: "110", ct2: "110", mutuality: "121", registrationNumber: "   " }, "registrationNumber", "format"],
  ])("refuses %j naming %s (%s)", (input, field, reason) => {
    expect(readDocumentData(input)).toEqual({
      ok: false,
      code: "FALLBACK_DATA_INVALID",
      detail: { field, reason },
    });
  });
});
