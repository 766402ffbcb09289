// Repeated identical questions (same patient, same delivery date, within minutes: a group of
// prescriptions at the counter) are answered from memory instead of asking MyCareNet again
// (SPEC §1.6 proportionality), and concurrent identical questions share one upstream call.
//
// Never used for the pricing office (SPEC §1.6: its answers are never reused): the caller does
// not ask this cache for a pricing-office consultation, nor put one in it.
import { LRUCache } from "lru-cache";

/** Who is asked about, for which day, and for which pharmacy when a daemon serves several. */
export interface ConsultationKey {
  /** The store's patient key (`niss:…` or `reg:<mutuality>:<number>`). */
  patientKey: string;
  /** YYYY-MM-DD. */
  deliveryDate: string;
  /** The principal's pharmacy (NIHII), when relevant. */
  pharmacy?: string;
}

export interface ConsultationCacheOptions {
  /**
   * How long an answer is reused. Default 5 minutes: a group of prescriptions, not a day. 0 turns
   * the memory off (MCN_CACHE_TTL_MS=0): nothing is kept, concurrent identical questions still
   * share one upstream call.
   */
  ttlMs?: number;
  /** At most this many answers are kept (least recently used go first). Default 1000. */
  max?: number;
  /** Milliseconds clock, for tests (default: performance.now). */
  now?: () => number;
}

export const DEFAULT_TTL_MS = 5 * 60_000;
export const DEFAULT_MAX_ENTRIES = 1000;

// The parts cannot contain the separator in a way that makes two keys collide: the patient key
// and the date have fixed shapes, and the pharmacy comes first, length-prefixed.
function keyOf(k: ConsultationKey): string {
  const pharmacy = k.pharmacy ?? "";
  return `${pharmacy.length}:${pharmacy}|${k.patientKey}|${k.deliveryDate}`;
}

export class ConsultationCache<V extends NonNullable<unknown>> {
  readonly #answers: LRUCache<string, V>;
  readonly #inFlight = new Map<string, Promise<unknown>>();
  readonly #off: boolean;
  readonly #ttl: number;
  readonly #now: () => number;
  #purgedAt: number;

  constructor(options: ConsultationCacheOptions = {}) {
    const ttl = options.ttlMs ?? DEFAULT_TTL_MS;
    const max = options.max ?? DEFAULT_MAX_ENTRIES;
    if (!(Number.isInteger(ttl) && ttl >= 0)) throw new RangeError("cache ttlMs must be an integer ≥ 0");
    if (!(Number.isInteger(max) && max > 0)) throw new RangeError("cache max must be a positive integer");
    this.#off = ttl === 0;
    this.#ttl = ttl;
    this.#now = options.now ?? (() => performance.now());
    this.#purgedAt = this.#now();
    // lru-cache reads ttl 0 as "forever": off is handled here, the LRU then stays empty.
    this.#answers = new LRUCache<string, V>({
      max,
      ttl: this.#off ? 1 : ttl,
      // Expiry is exact: lru-cache would otherwise reuse one clock reading for a millisecond.
      ttlResolution: 0,
      ...(options.now !== undefined ? { perf: { now: options.now } } : {}),
    });
  }

  get size(): number {
    return this.#answers.size;
  }

  get(key: ConsultationKey): V | undefined {
    return this.#answers.get(keyOf(key));
  }

  set(key: ConsultationKey, value: V): void {
    if (this.#off) return;
    // lru-cache drops an expired answer only when it is read again or evicted at `max`: without
    // this, a day of patients seen once would stay in memory up to the bound (the soak's growth).
    // One sweep per quarter TTL keeps the cost off the hot path.
    const now = this.#now();
    if (now - this.#purgedAt >= this.#ttl / 4) {
      this.#purgedAt = now;
      this.#answers.purgeStale();
    }
    this.#answers.set(keyOf(key), value);
  }

  delete(key: ConsultationKey): void {
    this.#answers.delete(keyOf(key));
  }

  clear(): void {
    this.#answers.clear();
  }

  /**
   * Single flight: while a load for this key runs, identical calls wait for it instead of
   * starting their own. Nothing is remembered once it settles; a failure is shared by the calls
   * that were waiting, and the next call loads again.
   */
  shared<T>(key: ConsultationKey, load: () => Promise<T>): Promise<T> {
    const k = keyOf(key);
    const running = this.#inFlight.get(k);
    if (running !== undefined) return running as Promise<T>;
    // load starts on the next microtask, after the flight is registered: even a load that throws
    // at once leaves nothing behind.
    const flight: Promise<T> = Promise.resolve()
      .then(load)
      .finally(() => {
        if (this.#inFlight.get(k) === flight) this.#inFlight.delete(k);
      });
    this.#inFlight.set(k, flight);
    return flight;
  }

  /**
   * The cached answer, or one shared load whose result is kept when `keep` says so (keep only a
   * real online answer: never an outage, a fallback or an error).
   */
  async getOrLoad(key: ConsultationKey, load: () => Promise<V>, keep: (value: V) => boolean): Promise<V> {
    const cached = this.get(key);
    if (cached !== undefined) return cached;
    return this.shared(key, async () => {
      const value = await load();
      if (keep(value)) this.set(key, value);
      return value;
    });
  }
}
