// The outage circuit (brochure §9: an answer too slow to be usable is no answer). After
// `threshold` outages in a row the circuit opens: consultations stop waiting for the network
// and go straight to the fallback, while a background probe checks MyCareNet every `probeMs`.
// The first answer (from a probe or a consultation) closes it again and recall can run.

export type CircuitState = "closed" | "open";

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
  readonly #listeners: Array<(state: CircuitState) => void> = [];

  constructor(options: CircuitOptions) {
    this.#options = options;
  }

  get state(): CircuitState {
    return this.#state;
  }

  get isOpen(): boolean {
    return this.#state === "open";
  }

  /** Whether MyCareNet answered at least once since start (health says "unknown" before). */
  get everAnswered(): boolean {
    return this.#everAnswered;
  }

  onChange(listener: (state: CircuitState) => void): void {
    this.#listeners.push(listener);
  }

  recordAnswer(): void {
    this.#everAnswered = true;
    this.#consecutive = 0;
    if (this.#state === "open") this.#set("closed");
    else if (this.#since === null) this.#since = this.#options.clock();
  }

  /**
   * A probe found MyCareNet's door open without a consultation to prove it answers (no delivery
   * to recall): the circuit closes on probation, so that the very next outage opens it again.
   */
  recordReachable(): void {
    if (this.#state !== "open") return;
    this.#consecutive = this.#options.threshold - 1;
    this.#set("closed");
  }

  recordOutage(kind: string): void {
    this.#consecutive++;
    this.#lastOutage = this.#options.clock();
    this.#lastKind = kind;
    if (this.#state === "closed" && this.#consecutive >= this.#options.threshold) this.#set("open");
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

  #set(state: CircuitState): void {
    this.#state = state;
    this.#since = this.#options.clock();
    if (state === "open") this.#opened++;
    for (const l of this.#listeners) l(state);
  }
}
