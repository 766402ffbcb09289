import { tz, TZDate } from "@date-fns/tz";
import { addDays as addCalendarDays, differenceInCalendarDays, format, parseISO } from "date-fns";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  addDays,
  brusselsDay,
  brusselsMidnight,
  compareDays,
  daysBetween,
  isDay,
  maxDay,
  minDay,
} from "./calendar.js";

const originalTz = process.env.TZ;
afterEach(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

// Process zones far from Brussels on both sides: the results must not move with them.
const zones = ["UTC", "Europe/Brussels", "America/Los_Angeles", "Pacific/Kiritimati", "Asia/Kolkata"];

describe("isDay", () => {
  it.each(["2011-11-12", "2012-02-29", "2000-02-29", "1999-12-31", "2011-01-31"])("accepts %s", (s) => {
    expect(isDay(s)).toBe(true);
  });

  it.each([
    "2011-02-29", // not a leap year
    "1900-02-29", // century, not a leap year
    "2011-04-31",
    "2011-13-01",
    "2011-00-10",
    "2011-01-00",
    "2011-1-05",
    "20111105",
    " 2011-11-05",
    "2011-11-05T00:00",
    "2011-11-05Z",
    "12/11/2011",
    "",
  ])("refuses %j", (s) => {
    expect(isDay(s)).toBe(false);
  });
});

describe("brusselsDay", () => {
  it("runs under really different process zones (else the tests below would prove nothing)", () => {
    const hours = zones.map((zone) => {
      process.env.TZ = zone;
      return new Date("2026-03-31T22:30:00Z").getHours();
    });
    expect(new Set(hours).size).toBe(zones.length);
  });

  const cases: ReadonlyArray<[string, string]> = [
    ["2026-03-31T22:30:00Z", "2026-04-01"], // 00:30 CEST on the 1st
    ["2026-04-01T00:30:00+02:00", "2026-04-01"],
    ["2026-03-31T21:59:59Z", "2026-03-31"], // 23:59:59 CEST
    // spring forward, Sunday 29 March 2026 at 01:00 UTC
    ["2026-03-28T22:59:59Z", "2026-03-28"], // 23:59:59 CET
    ["2026-03-28T23:00:00Z", "2026-03-29"], // midnight CET
    ["2026-03-29T01:30:00Z", "2026-03-29"], // 03:30 CEST, just after the jump
    ["2026-03-29T21:59:59Z", "2026-03-29"], // 23:59:59 CEST
    ["2026-03-29T22:00:00Z", "2026-03-30"],
    // fall back, Sunday 25 October 2026 at 01:00 UTC
    ["2026-10-24T21:59:59Z", "2026-10-24"], // 23:59:59 CEST
    ["2026-10-24T22:00:00Z", "2026-10-25"],
    ["2026-10-25T00:30:00Z", "2026-10-25"], // 02:30 CEST, first pass
    ["2026-10-25T01:30:00Z", "2026-10-25"], // 02:30 CET, second pass
    ["2026-10-25T22:59:59Z", "2026-10-25"], // 23:59:59 CET
    ["2026-10-25T23:00:00Z", "2026-10-26"],
    // year change in winter time
    ["2026-12-31T22:59:59Z", "2026-12-31"],
    ["2026-12-31T23:00:00Z", "2027-01-01"],
  ];

  it("agrees with date-fns formatting in the Europe/Brussels zone, 1900–2099", () => {
    const inBrussels = tz("Europe/Brussels");
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("1900-01-02T00:00:00Z"),
          max: new Date("2099-12-30T00:00:00Z"),
          noInvalidDate: true,
        }),
        (instant) => {
          expect(brusselsDay(instant)).toBe(format(instant, "yyyy-MM-dd", { in: inBrussels }));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("stays right minute after minute across midnight and both DST changes (the day of the last hour is kept)", () => {
    const inBrussels = tz("Europe/Brussels");
    for (const start of ["2026-03-28T20:00:00Z", "2026-10-24T20:00:00Z", "2026-12-31T20:00:00Z"]) {
      for (let minute = 0; minute < 8 * 60; minute++) {
        const instant = new Date(Date.parse(start) + minute * 60_000 + 59_999);
        expect(brusselsDay(instant), instant.toISOString()).toBe(
          format(instant, "yyyy-MM-dd", { in: inBrussels }),
        );
      }
    }
  });

  for (const zone of zones) {
    it(`gives the Brussels day whatever the process zone (${zone})`, () => {
      process.env.TZ = zone;
      for (const [instant, day] of cases) {
        expect(brusselsDay(new Date(instant)), instant).toBe(day);
      }
    });
  }
});

describe("addDays", () => {
  it.each([
    ["2011-11-12", 30, "2011-12-12"],
    ["2011-01-31", 30, "2011-03-02"], // non-leap February
    ["2012-01-31", 30, "2012-03-01"], // leap February
    ["2012-01-30", 30, "2012-02-29"],
    ["2012-02-29", 30, "2012-03-30"],
    ["2011-12-25", 30, "2012-01-24"],
    ["2012-03-01", -1, "2012-02-29"],
    ["2011-03-01", -1, "2011-02-28"],
    ["2012-01-01", -1, "2011-12-31"],
    ["2011-11-12", 0, "2011-11-12"],
  ] as const)("%s %+d → %s", (day, n, expected) => {
    expect(addDays(day, n)).toBe(expected);
  });

  for (const zone of zones) {
    it(`steps one day at a time across both DST changes (${zone})`, () => {
      process.env.TZ = zone;
      expect(addDays("2026-03-28", 1)).toBe("2026-03-29");
      expect(addDays("2026-03-29", 1)).toBe("2026-03-30");
      expect(addDays("2026-10-25", 1)).toBe("2026-10-26");
      expect(addDays("2026-10-26", -1)).toBe("2026-10-25");
      expect(addDays("2026-03-15", 30)).toBe("2026-04-14");
    });
  }

  it("agrees with date-fns computing in UTC, and daysBetween undoes it", () => {
    const inUtc = tz("UTC");
    const day = fc
      .date({
        min: new Date("1900-01-01T00:00:00Z"),
        max: new Date("2099-12-31T00:00:00Z"),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, fc.integer({ min: -40_000, max: 40_000 }), (d, n) => {
        const reference = format(addCalendarDays(parseISO(d, { in: inUtc }), n, { in: inUtc }), "yyyy-MM-dd");
        expect(addDays(d, n)).toBe(reference);
        expect(daysBetween(d, reference)).toBe(
          differenceInCalendarDays(parseISO(reference, { in: inUtc }), parseISO(d, { in: inUtc }), {
            in: inUtc,
          }),
        );
        expect(daysBetween(d, addDays(d, n))).toBe(n);
      }),
    );
  });

  it("refuses a malformed day instead of inventing one", () => {
    expect(() => addDays("2011-11-12", Number.NaN)).toThrow(RangeError);
    expect(() => addDays("2011-02-30", 1)).toThrow(RangeError);
    expect(() => addDays("not a day", 1)).toThrow(RangeError);
    expect(() => addDays("2011-2-3", 1)).toThrow(RangeError);
  });
});

describe("compareDays, daysBetween, minDay, maxDay", () => {
  it("orders days like the calendar", () => {
    expect(compareDays("2011-11-12", "2011-11-12")).toBe(0);
    expect(compareDays("2011-11-12", "2011-11-13")).toBeLessThan(0);
    expect(compareDays("2012-01-01", "2011-12-31")).toBeGreaterThan(0);
    expect(["2012-01-01", "2011-02-28", "2011-12-31"].sort(compareDays)).toEqual([
      "2011-02-28",
      "2011-12-31",
      "2012-01-01",
    ]);
  });

  it("counts calendar days", () => {
    expect(daysBetween("2011-12-25", "2012-01-24")).toBe(30);
    expect(daysBetween("2012-02-01", "2012-03-01")).toBe(29);
    expect(daysBetween("2011-02-01", "2011-03-01")).toBe(28);
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2); // across spring forward
    expect(daysBetween("2011-11-12", "2011-11-12")).toBe(0);
    expect(daysBetween("2011-11-13", "2011-11-12")).toBe(-1);
  });

  it("picks the earlier or later day", () => {
    expect(minDay("2011-11-30", "2011-12-12")).toBe("2011-11-30");
    expect(minDay("2011-12-12", "2011-11-30")).toBe("2011-11-30");
    expect(maxDay("2011-11-30", "2011-12-12")).toBe("2011-12-12");
    expect(maxDay("2011-12-12", "2011-11-30")).toBe("2011-12-12");
  });
});

describe("brusselsMidnight", () => {
  it("is where brusselsDay starts: the instant before it is the previous day", () => {
    for (const day of ["2025-01-15", "2025-03-30", "2025-03-31", "2025-10-26", "2025-10-27", "2024-02-29"]) {
      const t = brusselsMidnight(day);
      expect(brusselsDay(t), day).toBe(day);
      expect(brusselsDay(new Date(t.getTime() - 1)), day).toBe(addDays(day, -1));
    }
  });

  it("agrees with @date-fns/tz on Brussels midnights, 1900–2099", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 2), max: Date.UTC(2099, 11, 30) }), (t) => {
        const day = new Date(t).toISOString().slice(0, 10);
        const [y, m, d] = day.split("-").map(Number) as [number, number, number];
        expect(brusselsMidnight(day).getTime()).toBe(new TZDate(y, m - 1, d, "Europe/Brussels").getTime());
      }),
    );
  });

  it("refuses a malformed day", () => {
    expect(() => brusselsMidnight("2025-02-30")).toThrow(RangeError);
  });
});
