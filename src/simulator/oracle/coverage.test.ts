// Brochure annex 11.1, examples 1–6, as the simulated insurers compute them.
import { describe, expect, it } from "vitest";
import { coveragePeriod, overlongEnd } from "./coverage.js";
import type { RightPeriod } from "./coverage.js";

const year2011: RightPeriod = { begin: "2011-01-01", end: "2011-12-31", ct1: "110", ct2: "110" };
const upTo = (end: string): RightPeriod => ({ ...year2011, end });

describe("coverage period (brochure §5.2, annex 11.1)", () => {
  it.each([
    ["ex. 1", "2011-11-12", "2011-11-12", [year2011], "2011-12-12"],
    ["ex. 2", "2011-11-12", "2011-11-12", [upTo("2011-11-30")], "2011-11-30"],
    ["ex. 3", "2011-11-12", "2011-10-26", [year2011], "2011-11-25"],
    ["ex. 4", "2011-11-12", "2011-10-26", [upTo("2011-10-30")], "2011-10-30"],
    ["ex. 5", "2011-11-12", "2011-09-26", [year2011], "2011-10-26"],
    [
      "ex. 6",
      "2011-12-25",
      "2011-12-25",
      [year2011, { begin: "2012-01-01", end: "2012-12-31", ct1: "110", ct2: "110" }],
      "2012-01-24",
    ],
  ] as const)("%s: consulted %s for %s ends on %s", (_name, consultation, requested, periods, end) => {
    const verdict = coveragePeriod({ periods, requested, consultation });
    expect(verdict).toMatchObject({ outcome: "covered", start: requested, end });
  });

  it("ex. 6 with another status from 1 January stops at 31 December", () => {
    const verdict = coveragePeriod({
      periods: [year2011, { begin: "2012-01-01", end: null, ct1: "111", ct2: "111" }],
      requested: "2011-12-25",
      consultation: "2011-12-25",
    });
    expect(verdict).toMatchObject({ outcome: "covered", end: "2011-12-31" });
  });

  it("a right ending after start + 30 is cut at start + 30; an open one too", () => {
    const open = { ...year2011, end: null };
    expect(
      coveragePeriod({ periods: [open], requested: "2011-02-01", consultation: "2011-02-01" }),
    ).toMatchObject({
      end: "2011-03-03",
      rightEnd: null,
    });
  });

  it("no period at the date: no right; a date after the consultation: in the future", () => {
    expect(
      coveragePeriod({ periods: [upTo("2011-10-30")], requested: "2011-11-05", consultation: "2011-11-12" }),
    ).toEqual({
      outcome: "no-right",
    });
    expect(
      coveragePeriod({ periods: [year2011], requested: "2011-11-13", consultation: "2011-11-12" }),
    ).toEqual({
      outcome: "date-in-future",
    });
  });

  it("the overlong ends of the long-period fault go past the rule", () => {
    expect(overlongEnd("2011-11-12", "2011-12-31", "start-plus-60")).toBe("2012-01-11");
    expect(overlongEnd("2011-11-12", "2011-12-31", "right-end")).toBe("2011-12-31");
    expect(overlongEnd("2011-03-01", null, "right-end")).toBe("2011-12-31");
    expect(overlongEnd("2011-12-10", null, "right-end")).toBe("2012-12-31");
  });
});
