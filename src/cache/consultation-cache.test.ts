import { describe, expect, it } from "vitest";
import { ConsultationCache, DEFAULT_TTL_MS } from "./consultation-cache.js";

const key = { patientKey: "niss:85010100116", deliveryDate: "2011-11-12" };

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** A load whose settlement the test decides. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("ConsultationCache", () => {
  it("serves the same patient and delivery date until the TTL runs out", () => {
    const c = clock();
    const cache = new ConsultationCache<{ id: string }>({ ttlMs: 60_000, now: c.now });
    cache.set(key, { id: "a" });
    c.advance(59_999);
    expect(cache.get(key)).toEqual({ id: "a" });
    c.advance(2);
    expect(cache.get(key)).toBeUndefined();
  });

  it("defaults to a few minutes", () => {
    const c = clock();
    const cache = new ConsultationCache<string>({ now: c.now });
    cache.set(key, "a");
    c.advance(DEFAULT_TTL_MS - 1);
    expect(cache.get(key)).toBe("a");
    c.advance(2);
    expect(cache.get(key)).toBeUndefined();
    expect(DEFAULT_TTL_MS).toBeGreaterThanOrEqual(60_000);
    expect(DEFAULT_TTL_MS).toBeLessThanOrEqual(15 * 60_000);
  });

  it("keys on patient, delivery date and pharmacy", () => {
    const cache = new ConsultationCache<string>();
    cache.set(key, "a");
    expect(cache.get({ ...key, deliveryDate: "2011-11-13" })).toBeUndefined();
    expect(cache.get({ ...key, patientKey: "niss:90021500290" })).toBeUndefined();
    expect(cache.get({ ...key, pharmacy: "12345678" })).toBeUndefined();
    cache.set({ ...key, pharmacy: "1|x" }, "b");
    expect(cache.get({ ...key, pharmacy: "1" })).toBeUndefined();
    expect(cache.get(key)).toBe("a");
  });

  it("keeps at most `max` answers, dropping the least recently used", () => {
    const cache = new ConsultationCache<string>({ max: 2 });
    const k = (d: string): typeof key => ({ ...key, deliveryDate: d });
    cache.set(k("2011-11-01"), "1");
    cache.set(k("2011-11-02"), "2");
    cache.get(k("2011-11-01"));
    cache.set(k("2011-11-03"), "3");
    expect(cache.size).toBe(2);
    expect(cache.get(k("2011-11-02"))).toBeUndefined();
    expect(cache.get(k("2011-11-01"))).toBe("1");
  });

  it("forgets one answer, or all of them, on demand", () => {
    const cache = new ConsultationCache<string>();
    const other = { ...key, deliveryDate: "2011-11-13" };
    cache.set(key, "a");
    cache.set(other, "b");
    cache.delete(key);
    expect(cache.get(key)).toBeUndefined();
    expect(cache.get(other)).toBe("b");
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it("refuses a nonsensical configuration", () => {
    expect(() => new ConsultationCache({ ttlMs: -1 })).toThrow(RangeError);
    expect(() => new ConsultationCache({ ttlMs: 1.5 })).toThrow(RangeError);
    expect(() => new ConsultationCache({ max: 1.5 })).toThrow(RangeError);
  });

  it("with ttlMs 0 (MCN_CACHE_TTL_MS=0) keeps nothing, and still shares a running load", async () => {
    const cache = new ConsultationCache<string>({ ttlMs: 0 });
    cache.set(key, "a");
    expect(cache.get(key)).toBeUndefined();
    expect(cache.size).toBe(0);
    let loads = 0;
    const load = async (): Promise<string> => `answer-${++loads}`;
    const [a, b] = await Promise.all([
      cache.getOrLoad(key, load, () => true),
      cache.getOrLoad(key, load, () => true),
    ]);
    expect([a, b]).toEqual(["answer-1", "answer-1"]);
    expect(await cache.getOrLoad(key, load, () => true)).toBe("answer-2");
  });

  describe("shared (single flight)", () => {
    it("makes 50 concurrent identical questions share exactly one load", async () => {
      const cache = new ConsultationCache<string>();
      const upstream = deferred<string>();
      let loads = 0;
      const load = (): Promise<string> => {
        loads++;
        return upstream.promise;
      };
      const calls = Array.from({ length: 50 }, () => cache.shared(key, load));
      await Promise.resolve();
      upstream.resolve("answer");
      expect(await Promise.all(calls)).toEqual(Array(50).fill("answer"));
      expect(loads).toBe(1);
    });

    it("does not share between different questions", async () => {
      const cache = new ConsultationCache<string>();
      let loads = 0;
      const load = async (): Promise<string> => `answer-${++loads}`;
      const [a, b] = await Promise.all([
        cache.shared(key, load),
        cache.shared({ ...key, deliveryDate: "2011-11-13" }, load),
      ]);
      expect(new Set([a, b]).size).toBe(2);
      expect(loads).toBe(2);
    });

    it("does not cache a failure: the waiting calls share it, the next call loads again", async () => {
      const cache = new ConsultationCache<string>();
      const first = deferred<string>();
      let loads = 0;
      const failing = (): Promise<string> => {
        loads++;
        return first.promise;
      };
      const calls = Array.from({ length: 5 }, () => cache.shared(key, failing));
      first.reject(new Error("network down"));
      for (const call of calls) await expect(call).rejects.toThrow("network down");
      expect(loads).toBe(1);
      await expect(cache.shared(key, async () => `ok-${++loads}`)).resolves.toBe("ok-2");
      expect(cache.get(key)).toBeUndefined();
    });

    it("survives a load that throws at once", async () => {
      const cache = new ConsultationCache<string>();
      await expect(
        cache.shared(key, () => {
          throw new Error("bug");
        }),
      ).rejects.toThrow("bug");
      await expect(cache.shared(key, async () => "fine")).resolves.toBe("fine");
    });
  });

  describe("getOrLoad", () => {
    it("keeps what `keep` accepts and serves it afterwards without loading", async () => {
      const cache = new ConsultationCache<{ outcome: string }>();
      let loads = 0;
      const load = async (): Promise<{ outcome: string }> => {
        loads++;
        return { outcome: "online" };
      };
      const keepOnline = (v: { outcome: string }): boolean => v.outcome === "online";
      await Promise.all(Array.from({ length: 10 }, () => cache.getOrLoad(key, load, keepOnline)));
      await cache.getOrLoad(key, load, keepOnline);
      expect(loads).toBe(1);
    });

    it("does not keep an answer `keep` refuses (an outage, a fallback)", async () => {
      const cache = new ConsultationCache<{ outcome: string }>();
      let loads = 0;
      const load = async (): Promise<{ outcome: string }> => ({
        outcome: loads++ === 0 ? "needs-pharmacist" : "online",
      });
      const keepOnline = (v: { outcome: string }): boolean => v.outcome === "online";
      expect((await cache.getOrLoad(key, load, keepOnline)).outcome).toBe("needs-pharmacist");
      expect(cache.get(key)).toBeUndefined();
      expect((await cache.getOrLoad(key, load, keepOnline)).outcome).toBe("online");
      expect(cache.get(key)?.outcome).toBe("online");
    });
  });
});

describe("memory", () => {
  it("drops expired answers of patients never asked again, not only at the bound", () => {
    const c = clock();
    const cache = new ConsultationCache<{ id: string }>({ ttlMs: 60_000, max: 10_000, now: c.now });
    for (let i = 0; i < 100; i++)
      cache.set({ patientKey: `niss:${i}` as never, deliveryDate: "2025-03-10" }, { id: `${i}` });
    expect(cache.size).toBe(100);
    c.advance(61_000);
    cache.set({ patientKey: "niss:new" as never, deliveryDate: "2025-03-10" }, { id: "new" });
    expect(cache.size).toBe(1);
  });
});
