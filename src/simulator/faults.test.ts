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
