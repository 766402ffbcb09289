import { describe, expect, it } from "vitest";
import { createFaults, parseFaultPlan } from "./faults.js";

describe("parseFaultPlan", () => {
  it("accepts a plan for all and per insurer", () => {
    const plan = {
      all: { latencyMs: 20 },
      insurers: { "300": { kind: "system-error", code: "SOA-02002" }, "600": { kind: "slow" } },
    };
    expect(parseFaultPlan(plan)).toEqual({ ok: true, value: plan });
  });

  it("accepts an unavailable (HTTP 503) platform or insurer, not an unavailable STS", () => {
    const plan = { all: { kind: "unavailable" }, insurers: { "100": { kind: "unavailable", rate: 0.5 } } };
    expect(parseFaultPlan(plan)).toEqual({ ok: true, value: plan });
    expect(parseFaultPlan({ sts: { kind: "unavailable" } }).ok).toBe(false);
  });

  it("refuses unknown kinds, keys, scopes and out-of-range numbers", () => {
    const bad = [
      null,
      [],
      { some: {} },
      { all: { kind: "explode" } },
      { all: { latencyMs: -1 } },
      { all: { rate: 1.5 } },
      { all: { seed: 0.5 } },
      { all: { code: "SOA-01001" } },
      { all: { kind: "down", extra: 1 } },
      { insurers: { "700": { kind: "down" } } },
      { insurers: { "100": { kind: "expired-token" } } },
      { insurers: { "100": { kind: "wrong-key" } } },
      { insurers: [] },
    ];
    for (const plan of bad) expect(parseFaultPlan(plan).ok, JSON.stringify(plan)).toBe(false);
  });
});

describe("createFaults", () => {
  it("decides per stage: latency always, the kind when it fires", () => {
    const faults = createFaults({ all: { latencyMs: 5 }, insurers: { "300": { kind: "malformed" } } });
    expect(faults.decide("all")).toEqual({ latencyMs: 5 });
    expect(faults.decide(300)).toEqual({ latencyMs: 0, kind: "malformed" });
    expect(faults.decide(100)).toEqual({ latencyMs: 0 });
  });

  it("intermittent: the share that fails is about the rate, and the same seed gives the same sequence", () => {
    const run = (seed: number) => {
      const faults = createFaults({ all: { kind: "system-error", rate: 0.3, seed } });
      return Array.from({ length: 1000 }, () => faults.decide("all").kind !== undefined);
    };
    const a = run(11);
    expect(run(11)).toEqual(a);
    expect(run(12)).not.toEqual(a);
    const failures = a.filter(Boolean).length;
    expect(failures).toBeGreaterThan(230);
    expect(failures).toBeLessThan(370);
  });

  it("a request that waited across a change of plan takes no rank of the new plan", () => {
    const plan = { insurers: { "100": { kind: "slow" as const, rate: 0.3, seed: 3 } } };
    const sequence = (faults: ReturnType<typeof createFaults>, under?: number) =>
      Array.from(
        { length: 10 },
        () => faults.decide(100, undefined, under ?? faults.generation()).kind ?? ".",
      );
    const faults = createFaults({ all: { latencyMs: 2000 } });
    const late = faults.generation();
    faults.set(plan);
    // The late request (arrived under the first plan) reaches its insurer now: unfaulted, no rank.
    expect(faults.decide(100, undefined, late)).toEqual({ latencyMs: 0 });
    expect(sequence(faults)).toEqual(sequence(createFaults(plan)));
    expect(sequence(createFaults(plan))).toContain("slow");
  });

  it("says when the whole platform refuses connections, and tells listeners of every change", () => {
    const faults = createFaults();
    const seen: unknown[] = [];
    const off = faults.onChange((plan) => seen.push(plan));
    expect(faults.refusing()).toBe(false);
    faults.set({ all: { kind: "down" } });
    expect(faults.refusing()).toBe(true);
    faults.set({ all: { kind: "down", rate: 0.5 } });
    expect(faults.refusing()).toBe(false);
    faults.clear();
    off();
    faults.set({ all: { kind: "slow" } });
    expect(seen).toEqual([{ all: { kind: "down" } }, { all: { kind: "down", rate: 0.5 } }, {}]);
    expect(() => faults.set({ all: { kind: "nope" } } as never)).toThrow(TypeError);
  });
});

describe("filters and rule lists", () => {
  const ordinary = { niss: "75061512374", mutualities: ["121"] };
  const other = { niss: "48030204628", mutualities: ["311"] };

  it("a filtered rule is not decided at the door, only for the patients it names", () => {
    const faults = createFaults({ all: { kind: "refuse", patients: ["75061512374"] } });
    expect(faults.decide("all")).toEqual({ latencyMs: 0 });
    expect(faults.decide("all", ordinary)).toEqual({ latencyMs: 0, kind: "refuse" });
    expect(faults.decide("all", other)).toEqual({ latencyMs: 0 });
    expect(faults.refusing()).toBe(false);
  });

  it("in a list, the first matching rule applies, with its options", () => {
    const faults = createFaults({
      all: [{ latencyMs: 3 }, { kind: "unknown-code", family: "platform", mutualities: ["311"] }],
      insurers: {
        "100": [{ kind: "long-period", period: "right-end", patients: ["75061512374"] }, { kind: "slow" }],
      },
    });
    expect(faults.decide("all")).toEqual({ latencyMs: 3 });
    expect(faults.decide("all", other)).toEqual({ latencyMs: 0, kind: "unknown-code", family: "platform" });
    expect(faults.decide(100, ordinary)).toEqual({ latencyMs: 0, kind: "long-period", period: "right-end" });
    expect(faults.decide(100, { mutualities: ["132"] })).toEqual({ latencyMs: 0, kind: "slow" });
  });

  it("the probe meets the door's rule when it always fires, and takes no rank", () => {
    const faults = createFaults({ all: { kind: "unavailable" } });
    expect(faults.probe()).toEqual({ latencyMs: 0, kind: "unavailable" });
    faults.set({ all: { kind: "unavailable", rate: 0.5 } });
    expect(faults.probe()).toEqual({ latencyMs: 0 });
    faults.set({ all: [{ kind: "down", patients: ["75061512374"] }, { kind: "down" }] });
    expect(faults.refusing()).toBe(true);
  });

  it("options go with their kind only", () => {
    for (const plan of [
      { all: { kind: "slow", family: "success" } },
      { all: { kind: "unknown-code", period: "right-end" } },
      { all: { kind: "insurer-silent", silence: "never" } },
      { all: { kind: "refuse", patients: [] } },
      { all: { kind: "refuse", mutualities: ["12"] } },
      { insurers: { "100": { kind: "expired-token" } } },
    ]) {
      expect(parseFaultPlan(plan).ok, JSON.stringify(plan)).toBe(false);
    }
    expect(
      parseFaultPlan({ all: { kind: "insurer-silent", silence: "timeout", mutualities: ["306"] } }).ok,
    ).toBe(true);
  });
});
