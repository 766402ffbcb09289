// The outage circuit (brochure §9: an answer too slow to be usable is no answer). After
// `threshold` outages in a row the circuit opens: consultations stop waiting for the network
// and go straight to the fallback, while a background probe checks MyCareNet every `probeMs`.
// The first answer (from a probe or a consultation) closes it again and recall can run.
// After `probeMs` open it is half-open (issue 13): the next real consultation tries online, so
// that no single delivery the probe happens to re-check can keep the pharmacy in the fallback.
// One instance watches the platform and the transport, one each insurer (gateway.ts).

export type CircuitState = "closed" | "open" | "half-open";

export interface CircuitOptions {
  /** Consecutive outages that open the circuit. */
  readonly threshold: number;
  /** How often to probe while open, in ms. */
  readonly probeMs: number;
  readonly clock: () => Date;
}

export interface CircuitSnapshot {
  readonly state: CircuitState;
  readonly since: string | null;
  readonly consecutiveOutages: number;
  readonly lastOutage: string | null;
  readonly lastOutageKind: string | null;
  readonly opened: number;
}

export class Circuit {
  readonly #options: CircuitOptions;
  #state: CircuitState = "closed";
  #since: Date | null = null;
  #consecutive = 0;
  #lastOutage: Date | null = null;
  #lastKind: string | null = null;
  #opened = 0;
  #everAnswered = false;
  readonly #listeners: Array<(state: "open" | "closed") => void> = [];

  constructor(options: CircuitOptions) {
    this.#options = options;
  }

  get state(): CircuitState {
    return this.#state;
  }

  /** Open or half-open: MyCareNet (or this insurer) has not answered since it opened. */
  get isOpen(): boolean {
    return this.#state !== "closed";
  }

  /**
   * Whether a consultation may be sent now: closed, or open for at least `probeMs` (it then turns
   * half-open and lets consultations through until the first result decides).
   */
  admits(): boolean {
    if (this.#state === "open" && this.#since !== null) {
      if (this.#options.clock().getTime() - this.#since.getTime() < this.#options.probeMs) return false;
      this.#state = "half-open";
    }
    return true;
  }

  /** Whether MyCareNet answered at least once since start (health says "unknown" before). */
  get everAnswered(): boolean {
    return this.#everAnswered;
  }

  onChange(listener: (state: "open" | "closed") => void): void {
    this.#listeners.push(listener);
  }

  recordAnswer(): void {
    this.#everAnswered = true;
    this.#consecutive = 0;
    if (this.#state !== "closed") this.#set("closed");
    else if (this.#since === null) this.#since = this.#options.clock();
  }

  /**
   * A probe found MyCareNet's door open without a consultation to prove it answers (no delivery
   * to recall): the circuit closes on probation, so that the very next outage opens it again.
   */
  recordReachable(): void {
    if (this.#state === "closed") return;
    this.#consecutive = this.#options.threshold - 1;
    this.#set("closed");
  }

  recordOutage(kind: string): void {
    this.#consecutive++;
    this.#lastOutage = this.#options.clock();
    this.#lastKind = kind;
    if (this.#state === "half-open") this.#set("open", { reopened: true });
    else if (this.#state === "closed" && this.#consecutive >= this.#options.threshold) this.#set("open");
  }

  snapshot(): CircuitSnapshot {
    return {
      state: this.#state,
      since: this.#since?.toISOString() ?? null,
      consecutiveOutages: this.#consecutive,
      lastOutage: this.#lastOutage?.toISOString() ?? null,
      lastOutageKind: this.#lastKind,
      opened: this.#opened,
    };
  }

  #set(state: "open" | "closed", how: { reopened?: boolean } = {}): void {
    this.#state = state;
    this.#since = this.#options.clock();
    // A failed trial re-opens quietly: the listeners already know it is open.
    if (how.reopened) return;
    if (state === "open") this.#opened++;
    for (const l of this.#listeners) l(state);
  }
}
