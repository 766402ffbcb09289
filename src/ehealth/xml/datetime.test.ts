import { describe, expect, it } from "vitest";
import { parseXsDateTime } from "./datetime.js";

describe("parseXsDateTime", () => {
  it("reads zoned times, with or without fraction", () => {
    expect(parseXsDateTime("2025-03-10T08:00:00Z")?.toISOString()).toBe("2025-03-10T08:00:00.000Z");
    expect(parseXsDateTime(" 2025-03-10T09:00:00.123+01:00 ")?.toISOString()).toBe(
      "2025-03-10T08:00:00.123Z",
    );
  });
  it("refuses times without zone, dates and garbage", () => {
    for (const v of ["2025-03-10T08:00:00", "2025-03-10", "soon", "2025-13-40T99:00:00Z", undefined]) {
      expect(parseXsDateTime(v)).toBeUndefined();
    }
  });
});
