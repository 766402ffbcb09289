import { describe, expect, it } from "vitest";
import { dayBoundsOf, isMonth, monthBoundsOf, monthOf } from "./month.js";

describe("report months in Europe/Brussels", () => {
  it("gives the days and the Brussels midnights of a winter month", () => {
    expect(monthBoundsOf("2025-01")).toEqual({
      fromDay: "2025-01-01",
      untilDay: "2025-02-01",
      from: new Date("2024-12-31T23:00:00Z"),
      until: new Date("2025-01-31T23:00:00Z"),
    });
  });

  it("follows summer time and the year's end", () => {
    const march = monthBoundsOf("2025-03");
    expect(march.from.toISOString()).toBe("2025-02-28T23:00:00.000Z");
    expect(march.until.toISOString()).toBe("2025-03-31T22:00:00.000Z");
    const december = monthBoundsOf("2025-12");
    expect(december.untilDay).toBe("2026-01-01");
    expect(december.until.toISOString()).toBe("2025-12-31T23:00:00.000Z");
  });

  it("checks the shape", () => {
    expect(isMonth("2025-12")).toBe(true);
    expect(isMonth("2025-13")).toBe(false);
    expect(isMonth("2025-1")).toBe(false);
    expect(() => monthBoundsOf("2025-00")).toThrow(RangeError);
    expect(monthOf("2025-07-14")).toBe("2025-07");
  });

  it("gives a day's bounds, 23 hours on the day summer time starts", () => {
    const { from, until } = dayBoundsOf("2025-03-30");
    expect(from.toISOString()).toBe("2025-03-29T23:00:00.000Z");
    expect(until.getTime() - from.getTime()).toBe(23 * 3_600_000);
  });
});
