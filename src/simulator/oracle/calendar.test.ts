import { describe, expect, it } from "vitest";
import { addDays, brusselsDay, compareDays, isDay } from "./calendar.js";

describe("the simulator's calendar", () => {
  it("counts calendar days: public holidays and week-ends do not shift anything (annex ex. 6)", () => {
    // 25/12, 26/12 (Sunday, Monday) and 1/1 are inside: still exactly 30 days.
    expect(addDays("2011-12-25", 30)).toBe("2012-01-24");
    expect(addDays("2011-10-26", 30)).toBe("2011-11-25");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2023-02-28", 1)).toBe("2023-03-01");
    expect(addDays("2011-01-01", -1)).toBe("2010-12-31");
  });

  it("accepts only real days written YYYY-MM-DD", () => {
    expect(isDay("2024-02-29")).toBe(true);
    expect(isDay("2023-02-29")).toBe(false);
    expect(isDay("2023-2-3")).toBe(false);
    expect(isDay("2023-13-01")).toBe(false);
    expect(() => addDays("2023-02-30", 1)).toThrow(RangeError);
  });

  it("orders days", () => {
    expect(compareDays("2011-11-12", "2011-12-12")).toBeLessThan(0);
    expect(compareDays("2011-11-12", "2011-11-12")).toBe(0);
  });

  it("gives the day in Brussels, not in UTC", () => {
    expect(brusselsDay(new Date("2011-12-31T23:30:00Z"))).toBe("2012-01-01");
    expect(brusselsDay(new Date("2011-07-31T22:30:00Z"))).toBe("2011-08-01");
    expect(brusselsDay(new Date("2011-07-31T21:30:00Z"))).toBe("2011-07-31");
  });
});
