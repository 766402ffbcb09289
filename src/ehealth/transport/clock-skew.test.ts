import { describe, expect, it } from "vitest";
import { ClockSkew } from "./clock-skew.js";

const at = (iso: string) => new Date(iso);

describe("the clock-skew watch", () => {
  it("raises the alert beyond 60 s either way and clears it when the clocks agree again", () => {
    const changes: Array<[boolean, number]> = [];
    const skew = new ClockSkew((alert, s) => changes.push([alert, s]));
    expect(skew.state()).toEqual({ skewSeconds: null, alert: false, since: null });
    skew.observe(at("2025-03-10T08:00:00Z"), at("2025-03-10T08:01:00Z"));
    expect(skew.state()).toMatchObject({ skewSeconds: 60, alert: false });
    skew.observe(at("2025-03-10T08:00:00Z"), at("2025-03-10T08:01:01.600Z"));
    expect(skew.state()).toEqual({ skewSeconds: 62, alert: true, since: "2025-03-10T08:01:01.600Z" });
    skew.observe(at("2025-03-10T08:05:00Z"), at("2025-03-10T08:03:00Z"));
    expect(skew.state()).toMatchObject({ skewSeconds: -120, alert: true });
    skew.observe(at("2025-03-10T08:06:00Z"), at("2025-03-10T08:06:01Z"));
    expect(skew.state()).toEqual({ skewSeconds: 1, alert: false, since: null });
    expect(changes).toEqual([
      [true, 62],
      [false, 1],
    ]);
  });
});
