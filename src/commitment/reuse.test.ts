import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, compareDays } from "./calendar.js";
import { chooseReusable, isReusableFor, neverReusable, reusableUntil } from "./reuse.js";
import type { StoredCommitment } from "./reuse.js";

const commitment = (
  id: string,
  consultedOn: string,
  start: string,
  end: string,
  obtainedAt: string,
): StoredCommitment & { approval: string } => ({
  id,
  consultedOn,
  coverage: { start, end },
  obtainedAt,
  approval: `approval-${id}`,
});

describe("isReusableFor", () => {
  const c = commitment("a", "2011-11-12", "2011-11-10", "2011-12-10", "2011-11-12T08:00:00Z");

  it("includes the consultation day and the coverage end", () => {
    expect(isReusableFor(c, "2011-11-12")).toBe(true);
    expect(isReusableFor(c, "2011-12-10")).toBe(true);
  });

  it("excludes the day after the coverage end and days before the consultation", () => {
    expect(isReusableFor(c, "2011-12-11")).toBe(false);
    expect(isReusableFor(c, "2011-11-11")).toBe(false);
    expect(isReusableFor(c, "2011-11-10")).toBe(false);
  });

  it("excludes a day before the coverage start", () => {
    // A stored commitment whose coverage starts after its consultation day (as a peer may
    // return): the start bounds reuse as well.
    const ahead = commitment("b", "2011-11-12", "2011-11-15", "2011-12-10", "2011-11-12T08:00:00Z");
    expect(isReusableFor(ahead, "2011-11-14")).toBe(false);
    expect(isReusableFor(ahead, "2011-11-15")).toBe(true);
  });
});

describe("neverReusable and reusableUntil", () => {
  it("a coverage ending the day before the consultation is never reusable", () => {
    const c = commitment("a", "2011-11-12", "2011-10-20", "2011-11-11", "2011-11-12T08:00:00Z");
    expect(neverReusable(c)).toBe(true);
    expect(reusableUntil(c)).toBeNull();
    expect(isReusableFor(c, "2011-11-11")).toBe(false);
  });

  it("a coverage ending on the consultation day serves that day only", () => {
    const c = commitment("a", "2011-11-12", "2011-10-20", "2011-11-12", "2011-11-12T08:00:00Z");
    expect(neverReusable(c)).toBe(false);
    expect(reusableUntil(c)).toBe("2011-11-12");
    expect(isReusableFor(c, "2011-11-12")).toBe(true);
  });
});

describe("chooseReusable", () => {
  const older = commitment("older", "2011-11-01", "2011-11-01", "2011-12-01", "2011-11-01T10:00:00+01:00");
  const newer = commitment("newer", "2011-11-10", "2011-11-10", "2011-12-10", "2011-11-10T09:00:00Z");
  const expired = commitment("expired", "2011-11-15", "2011-11-15", "2011-11-16", "2011-11-15T09:00:00Z");

  it("takes the one obtained last among those covering the date", () => {
    expect(chooseReusable([older, newer, expired], "2011-11-20")?.id).toBe("newer");
    expect(chooseReusable([expired, newer, older], "2011-11-20")?.id).toBe("newer");
  });

  it("keeps the caller's type, so the stored data comes back with it", () => {
    expect(chooseReusable([older, newer], "2011-11-20")?.approval).toBe("approval-newer");
  });

  it("skips a later commitment that does not cover the date", () => {
    expect(chooseReusable([older, newer, expired], "2011-11-05")?.id).toBe("older");
    expect(chooseReusable([older, newer, expired], "2011-12-05")?.id).toBe("newer");
  });

  it("orders by instant, not by text, across UTC offsets", () => {
    // 10:30+02:00 is 08:30Z, earlier than 09:00Z although it sorts later as text.
    const a = commitment("a", "2011-11-10", "2011-11-10", "2011-12-10", "2011-11-10T10:30:00+02:00");
    const b = commitment("b", "2011-11-10", "2011-11-10", "2011-12-10", "2011-11-10T09:00:00Z");
    expect(chooseReusable([a, b], "2011-11-20")?.id).toBe("b");
    expect(chooseReusable([b, a], "2011-11-20")?.id).toBe("b");
  });

  it("keeps the first listed on a tie, and prefers a readable instant to an unreadable one", () => {
    const a = commitment("a", "2011-11-10", "2011-11-10", "2011-12-10", "2011-11-10T09:00:00Z");
    const b = commitment("b", "2011-11-10", "2011-11-10", "2011-12-10", "2011-11-10T09:00:00.000Z");
    const broken = commitment("broken", "2011-11-10", "2011-11-10", "2011-12-10", "yesterday");
    expect(chooseReusable([a, b], "2011-11-20")?.id).toBe("a");
    expect(chooseReusable([b, a], "2011-11-20")?.id).toBe("b");
    expect(chooseReusable([broken, a], "2011-11-20")?.id).toBe("a");
  });

  it("finds nothing when none qualifies", () => {
    expect(chooseReusable([older, newer], "2012-01-15")).toBeUndefined();
    expect(chooseReusable([], "2011-11-20")).toBeUndefined();
  });

  it("always returns an eligible candidate obtained no earlier than any other eligible one", () => {
    const arb = fc.array(
      fc.record({
        consulted: fc.integer({ min: 0, max: 60 }),
        startBack: fc.integer({ min: 0, max: 40 }),
        length: fc.integer({ min: 0, max: 30 }),
        obtained: fc.integer({ min: 0, max: 1_000_000 }),
      }),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 90 }), (raw, deliveryOffset) => {
        const candidates = raw.map((r, i) => {
          const consultedOn = addDays("2011-11-01", r.consulted);
          const start = addDays(consultedOn, -r.startBack);
          return commitment(
            String(i),
            consultedOn,
            start,
            addDays(start, r.length),
            new Date(r.obtained * 60_000).toISOString(),
          );
        });
        const delivery = addDays("2011-11-01", deliveryOffset);
        const eligible = candidates.filter((c) => isReusableFor(c, delivery));
        const chosen = chooseReusable(candidates, delivery);
        if (eligible.length === 0) {
          expect(chosen).toBeUndefined();
          return;
        }
        expect(chosen).toBeDefined();
        expect(eligible).toContain(chosen);
        for (const c of eligible)
          expect(Date.parse(c.obtainedAt)).toBeLessThanOrEqual(Date.parse(chosen!.obtainedAt));
        expect(compareDays(chosen!.consultedOn, delivery)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe("a later answer without right (SPEC §1.3 reuse)", () => {
  const older = commitment("old", "2011-11-12", "2011-11-12", "2011-12-12", "2011-11-12T08:00:00Z");
  const newer = commitment("new", "2011-11-20", "2011-11-20", "2011-12-20", "2011-11-20T08:00:00Z");
  const loss = { from: "2011-11-15", observedAt: "2011-11-15T09:00:00Z" };

  it("ends an older commitment from its day on, not before", () => {
    expect(isReusableFor(older, "2011-11-14", [loss])).toBe(true);
    expect(isReusableFor(older, "2011-11-15", [loss])).toBe(false);
    expect(isReusableFor(older, "2011-12-01", [loss])).toBe(false);
  });

  it("leaves a commitment obtained after it alone", () => {
    expect(chooseReusable([older, newer], "2011-11-25", [loss])?.id).toBe("new");
    expect(chooseReusable([older], "2011-11-25", [loss])).toBeUndefined();
  });
});
