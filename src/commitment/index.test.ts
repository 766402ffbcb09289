import { describe, expect, it } from "vitest";
import * as commitment from "./index.js";

describe("commitment public API", () => {
  it("exports exactly the room's functions and constants", () => {
    expect(Object.keys(commitment).sort()).toEqual([
      "MAX_COVERAGE_DAYS",
      "addDays",
      "brusselsDay",
      "chooseReusable",
      "compareDays",
      "coverageWindow",
      "daysBetween",
      "isDay",
      "isReusableFor",
      "maxDay",
      "minDay",
      "neverReusable",
      "reliedWindow",
      "reusableUntil",
    ]);
    expect(commitment.MAX_COVERAGE_DAYS).toBe(30);
  });
});
