// While a circuit is open the counter no longer waits for MyCareNet (brochure §9.2: an answer
// too slow to be usable is no answer); this probe finds out when it answers again. Every
// `intervalMs`: a recall of a pending fallback delivery when there is one — a real, legitimate
// consultation that closes the circuit when MyCareNet answers it; the recall runner rotates over
// deliveries and insurers, so that one sticky patient cannot keep it open — otherwise a
// connection-level check of the insurability URL without any SOAP message (reachability.ts),
// which closes it on probation. Closing the circuit
// starts the recall run (daemon.ts). One probe at a time; the timer never keeps the process up.
import type { Logger } from "../log.js";
import type { Circuit } from "./circuit.js";

/** What the probe watches: the platform circuit, or the gateway with every scope. */
export type ProbedScopes = Pick<Circuit, "isOpen" | "recordReachable" | "recordOutage">;
import type { Reach } from "../ehealth/insurability/reachability.js";

export interface ProbeDeps {
  readonly circuit: ProbedScopes;
  readonly intervalMs: number;
  /** One recall; "nothing" when none can be made (none pending, no session). */
  readonly recallOne: () => Promise<"answered" | "outage" | "nothing">;
  readonly reach: () => Promise<Reach>;
  readonly logger: Logger;
  readonly onProbe?: (kind: "recall" | "reachability", result: "answer" | "outage") => void;
}

export class Probe {
  readonly #d: ProbeDeps;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #closed = false;

  constructor(deps: ProbeDeps) {
    this.#d = deps;
  }

  get active(): boolean {
    return this.#timer !== null || this.#running !== null;
  }

  /** Schedules probing (no-op when already scheduled or running). */
  start(): void {
    if (this.#closed || this.#timer !== null || this.#running !== null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#running = this.#tick().finally(() => {
        this.#running = null;
        if (this.#d.circuit.isOpen) this.start();
      });
    }, this.#d.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Stops for good; resolves once a probe in flight is over. */
  async close(): Promise<void> {
    this.#closed = true;
    this.stop();
    await this.#running;
  }

  async #tick(): Promise<void> {
    const { circuit, logger } = this.#d;
    if (!circuit.isOpen || this.#closed) return;
    try {
      const recalled = await this.#d.recallOne();
      if (recalled !== "nothing") {
        this.#d.onProbe?.("recall", recalled === "answered" ? "answer" : "outage");
        return;
      }
      if (this.#closed || !circuit.isOpen) return;
      const reach = await this.#d.reach();
      this.#d.onProbe?.("reachability", reach.reachable ? "answer" : "outage");
      if (reach.reachable) circuit.recordReachable();
      else circuit.recordOutage(reach.kind);
    } catch (err) {
      logger.error({ err }, "MyCareNet probe failed");
    }
  }
}
