import { describe, expect, it } from "vitest";
import * as identifiers from "./index.js";

describe("identifiers room entry point", () => {
  it("re-exports the parsers and builders other rooms import", () => {
    expect(Object.keys(identifiers).sort()).toEqual([
      "NATIONAL_UNIONS",
      "makeBce",
      "makeNihii",
      "makeNiss",
      "normalizeNiss",
      "parseBce",
      "parseMutuality",
      "parseNihii",
      "parseNiss",
      "parseRegistrationNumber",
    ]);
    expect(identifiers.parseNiss(identifiers.makeNiss({ birthDate: "1990-01-01", sequence: 1 })).ok).toBe(
      true,
    );
  });
});
