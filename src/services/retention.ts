// The daily purge (SPEC §1.3 retention): once per Brussels day — at start, then checked every
// hour — and on demand (POST /v1/maintenance/purge), consultations made before the retention
// cut-off go with their commitment, fallback answers and recall; the audit trail stays (it holds
// pseudonyms only, and its hashes still verify).
import type { AuditAction } from "../audit-actions.js";
import { brusselsDay, type Day } from "../commitment/index.js";
import { dayBoundsOf, retentionCutoff } from "../purpose/index.js";
import type { PurgeCounts } from "../store/retention.js";
import type { Store } from "../store/store.js";

export interface PurgeRun {
  before: Day;
  retentionMonths: number;
  at: string;
  purged: PurgeCounts;
}

export interface RetentionDeps {
  readonly store: Store;
  readonly months: number;
  readonly clock: () => Date;
  readonly onPurge?: (run: PurgeRun, trigger: "daily" | "request") => void;
  readonly onError?: (err: unknown) => void;
}

const PURGED_ACTION: AuditAction = "retention.purged";
const HOUR_MS = 3_600_000;

export class RetentionPurger {
  readonly #d: RetentionDeps;
  #timer: NodeJS.Timeout | undefined;

  constructor(deps: RetentionDeps) {
    this.#d = deps;
  }

  /** Purges what is past the retention now. */
  run(trigger: "daily" | "request" = "request"): PurgeRun {
    const now = this.#d.clock();
    const before = retentionCutoff(brusselsDay(now), this.#d.months);
    const purged = this.#d.store.purge({ before });
    const run = { before, retentionMonths: this.#d.months, at: now.toISOString(), purged };
    this.#d.onPurge?.(run, trigger);
    return run;
  }

  /** The daily run, unless today's already happened (the audit trail says so, across restarts). */
  runDaily(): PurgeRun | undefined {
    const { from, until } = dayBoundsOf(brusselsDay(this.#d.clock()));
    if (this.#d.store.compliance.countAuditBetween(PURGED_ACTION, from, until) > 0) return undefined;
    return this.run("daily");
  }

  /** Runs the daily purge now, then checks every hour; the timer never keeps the process alive. */
  start(): void {
    this.#tick();
    this.#timer = setInterval(() => this.#tick(), HOUR_MS);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #tick(): void {
    try {
      this.runDaily();
    } catch (err) {
      this.#d.onError?.(err);
    }
  }
}
