// Recall (SPEC §1.4, brochure §9.3.5): every fallback delivery is consulted online again, for its
// own date and under its own reference, once MyCareNet answers; the answer is stored like any
// online consultation and the recall is marked `confirmed`, or `discrepancy` with what differs.
//
// Purpose and proportionality (SPEC §1.6): a recall is for a delivery that was made — a
// consultation still waiting for the pharmacist's answers decided no delivery yet and is left
// alone; deliveries of the same patient on the same date share one consultation; an identical
// question answered online within the cache's time is not asked again, and the proportionality
// guard applies as to any consultation (ConsultationService.recheck); a run stops at the first
// outage instead of hammering MyCareNet. Runs never overlap.
//
// Under the rules (issue 13, brochure §7.2: MyCareNet throttles systematic patterns): any answer,
// business included, resolves a recall; after an outage a delivery waits, doubling from
// `minIntervalMs` up to an hour, and is tried at most DAILY_CAP times a Brussels day (a pharmacist's
// manual run, a session opening or the circuit closing try at once); a refused one is tried at
// most MAX_REFUSALS times, then left to the pharmacist with its reason. The probe takes the
// delivery tried longest ago, of another insurer than the last when it can, so that one sticky
// patient cannot keep a circuit open.
import { CodedError } from "../errors.js";
import type { Logger } from "../log.js";
import type { Recall, Store } from "../store/index.js";
import { patientOfKey } from "../store/index.js";
import { factsOf, recallDifferences, type RecallDifference } from "../consultation/recall-differences.js";
import { DAEMON, type Actor } from "../actors.js";
import { brusselsDay } from "../commitment/index.js";
import type { ConsultationService } from "./consultation.js";
import type { OutageKind } from "../ehealth/insurability/client.js";
import type { ConsultationView } from "../consultation/document.js";

export type RecallTrigger =
  "circuit-closed" | "probe" | "manual" | "session-opened" | "start" | "online-answer";

export type RecallStop =
  | { reason: "outage"; kind: OutageKind }
  | { reason: "no-session"; code: string }
  | { reason: "proportionality"; code: string }
  | { reason: "closing" };

export interface RecallRun {
  trigger: RecallTrigger;
  startedAt: string;
  finishedAt: string;
  /** Consultations asked (or found in the cache) for this run. */
  consulted: number;
  /** Recalls resolved by this run. */
  resolved: Recall[];
  /** MyCareNet refused the question (the recall stays pending; the audit trail says why). */
  rejected: number;
  /** Still pending after the run, of which `awaitingPharmacist` wait for the fallback answers. */
  pending: number;
  awaitingPharmacist: number;
  /** Why the run stopped before the end, or null. */
  stopped: RecallStop | null;
}

export interface RecallDeps {
  readonly store: Store;
  readonly service: Pick<ConsultationService, "recheck">;
  readonly clock: () => Date;
  readonly logger: Logger;
  /** Automatic runs (kick) are started at most this often, in ms. */
  readonly minIntervalMs: number;
  readonly onResolved?: (recall: Recall, differences: readonly RecallDifference[]) => void;
  /** The insurer a recall's patient belongs to, for the probe's rotation. */
  readonly insurerOf?: (recall: Recall) => string | undefined;
  readonly onRun?: (run: RecallRun) => void;
}

/** Tries of one delivery a Brussels day (outages). */
export const DAILY_CAP = 12;
/** Refusals before a recall is left to the pharmacist. */
export const MAX_REFUSALS = 3;
const MAX_BACKOFF_MS = 3600_000;
/** Triggers that bring news (MyCareNet or a session is back, a pharmacist asks): no backoff. */
const AT_ONCE: readonly RecallTrigger[] = ["manual", "session-opened", "circuit-closed"];

interface Candidate {
  recall: Recall;
  reference: string;
  view: ConsultationView;
  outcome: ConsultationView["outcome"];
}

export class RecallRunner {
  readonly #d: RecallDeps;
  #queue: Promise<unknown> = Promise.resolve();
  #busy = 0;
  #lastKick = Number.NEGATIVE_INFINITY;
  #again: RecallTrigger | null = null;
  #closed = false;
  /** Per delivery: tries today (outages and refusals), and refusals so far. */
  readonly #tries = new Map<string, { day: string; n: number }>();
  readonly #refusals = new Map<string, number>();
  #lastProbedInsurer: string | undefined;

  constructor(deps: RecallDeps) {
    this.#d = deps;
  }

  /** Runs every pending recall, oldest first; waits for a run already going. */
  run(trigger: RecallTrigger, asker: Actor = DAEMON): Promise<RecallRun> {
    return this.#exclusive(() => this.#run(trigger, asker, Number.POSITIVE_INFINITY));
  }

  /** The probe's question while the circuit is open: one recall, if any can be made. */
  async runOne(): Promise<"answered" | "outage" | "nothing"> {
    const run = await this.#exclusive(() => this.#run("probe", DAEMON, 1));
    if (run.consulted === 0) return "nothing";
    return run.stopped?.reason === "outage" ? "outage" : "answered";
  }

  /**
   * Starts a run in the background when something may be recalled. While a run is going, the
   * kick is kept for right after it (the circuit closes during the probe's own recall).
   */
  kick(trigger: RecallTrigger, options: { force?: boolean } = {}): void {
    if (this.#closed) return;
    const now = Date.now();
    if (!options.force && now - this.#lastKick < this.#d.minIntervalMs) return;
    if (this.#busy > 0) {
      // The answers of a run itself do not ask for another one.
      if (trigger !== "online-answer") this.#again = trigger;
      return;
    }
    // Counted even when there is nothing to recall: the check itself reads the store.
    this.#lastKick = now;
    if (!this.#recallable()) return;
    this.run(trigger).catch((err: unknown) => this.#d.logger.error({ err, trigger }, "recall run failed"));
  }

  /** No new run starts; resolves once the one going (if any) is over. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue.catch(() => undefined);
  }

  #tried(id: string, day: string): void {
    // A new day: yesterday's counts are over (the cap is per day), and so are their entries.
    for (const [k, t] of this.#tries) if (t.day !== day) this.#tries.delete(k);
    const tries = this.#tries.get(id);
    this.#tries.set(id, tries?.day === day ? { day, n: tries.n + 1 } : { day, n: 1 });
  }

  #recallable(): boolean {
    return this.#d.store
      .pendingRecalls()
      .some((r) => this.#d.store.getConsultation(r.consultationId)?.outcome !== "needs-pharmacist");
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    this.#busy++;
    const next = this.#queue.then(task).finally(() => {
      this.#busy--;
      const again = this.#again;
      if (this.#busy === 0 && again !== null) {
        this.#again = null;
        this.kick(again, { force: true });
      }
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #run(trigger: RecallTrigger, asker: Actor, maxConsultations: number): Promise<RecallRun> {
    const { store, clock } = this.#d;
    const startedAt = clock().toISOString();
    const by = asker;
    const groups = new Map<string, Candidate[]>();
    let awaitingPharmacist = 0;
    const now = clock();
    const today = brusselsDay(now);
    const waitsFor = (r: Recall): boolean => {
      if (trigger === "manual") return false;
      const tries = this.#tries.get(r.id);
      if (tries?.day === today && tries.n >= DAILY_CAP) return true;
      if (AT_ONCE.includes(trigger) || r.lastAttemptAt === null || r.attempts === 0) return false;
      const backoff = Math.min(this.#d.minIntervalMs * 2 ** (r.attempts - 1), MAX_BACKOFF_MS);
      return now.getTime() - Date.parse(r.lastAttemptAt) < backoff;
    };
    let pendingRecalls = store.pendingRecalls();
    if (maxConsultations === 1) {
      // The probe: tried longest ago first, another insurer than the last one first.
      const other = (r: Recall) => (this.#d.insurerOf?.(r) === this.#lastProbedInsurer ? 1 : 0);
      pendingRecalls = [...pendingRecalls].sort(
        (a, b) => other(a) - other(b) || (a.lastAttemptAt ?? "").localeCompare(b.lastAttemptAt ?? ""),
      );
    }
    for (const recall of pendingRecalls) {
      const row = store.getConsultation(recall.consultationId);
      if (row === undefined) continue;
      if (row.outcome === "needs-pharmacist") {
        awaitingPharmacist++;
        continue;
      }
      if (waitsFor(recall)) continue;
      const key = `${recall.patientKey}|${recall.deliveryDate}`;
      const group = groups.get(key) ?? [];
      group.push({
        recall,
        reference: row.reference,
        view: row.answer,
        outcome: row.outcome,
      });
      groups.set(key, group);
    }

    const resolved: Recall[] = [];
    let consulted = 0;
    let rejected = 0;
    let stopped: RecallStop | null = null;
    for (const group of groups.values()) {
      if (consulted >= maxConsultations) break;
      if (this.#closed) {
        stopped = { reason: "closing" };
        break;
      }
      const first = group[0] as Candidate;
      consulted++;
      let result;
      try {
        result = await this.#d.service.recheck(
          {
            patient: patientOfKey(first.recall.patientKey),
            deliveryDate: first.recall.deliveryDate,
            reference: first.reference,
          },
          asker,
        );
      } catch (err) {
        if (err instanceof CodedError && (err.code === "NO_SESSION" || err.code === "SESSION_EXPIRED")) {
          consulted--;
          stopped = { reason: "no-session", code: err.code };
          break;
        }
        // SPEC §1.6: the proportionality guard stops recalls like any consultation; a pharmacist
        // may lift it for the day.
        if (err instanceof CodedError && err.code === "PROPORTIONALITY_LIMIT") {
          consulted--;
          stopped = { reason: "proportionality", code: err.code };
          break;
        }
        throw err;
      }
      if (maxConsultations === 1) this.#lastProbedInsurer = this.#d.insurerOf?.(first.recall);
      if (result.type !== "answer") for (const c of group) this.#tried(c.recall.id, today);
      // An answer resolves the recall: its counts go with it, so the maps hold only what waits.
      else
        for (const c of group) {
          this.#tries.delete(c.recall.id);
          this.#refusals.delete(c.recall.id);
        }
      if (result.type === "outage") {
        for (const c of group) store.noteRecallAttempt(c.recall.id, clock());
        stopped = { reason: "outage", kind: result.kind };
        break;
      }
      if (result.type === "rejected") {
        for (const c of group) {
          const refusals = (this.#refusals.get(c.recall.id) ?? 0) + 1;
          this.#refusals.set(c.recall.id, refusals);
          if (refusals < MAX_REFUSALS) store.noteRecallAttempt(c.recall.id, clock());
          else {
            this.#refusals.delete(c.recall.id);
            store.leaveRecallToPharmacist(c.recall.id, result.refusal, by, clock());
            this.#d.logger.warn(
              { recall: c.recall.id, refusal: result.refusal },
              "recall refused: left to the pharmacist",
            );
          }
        }
        rejected++;
        continue;
      }
      const online = factsOf(result.view);
      for (const c of group) {
        const differences = recallDifferences(c.outcome, factsOf(c.view), online);
        const recall = store.resolveRecall(
          c.recall.id,
          {
            status: differences.length === 0 ? "confirmed" : "discrepancy",
            differences,
            onlineConsultationId: result.view.id,
            // The commitment obtained online is the one to invoice with (issue 14 §2).
            commitment: result.view.commitment,
          },
          by,
          clock(),
        );
        resolved.push(recall);
        this.#d.onResolved?.(recall, differences);
      }
    }
    const left = store.pendingRecalls().length;
    const run: RecallRun = {
      trigger,
      startedAt,
      finishedAt: clock().toISOString(),
      consulted,
      resolved,
      rejected,
      pending: left,
      awaitingPharmacist,
      stopped,
    };
    if (consulted > 0 || trigger === "manual") {
      this.#d.logger.info(
        {
          trigger,
          consulted,
          confirmed: resolved.filter((r) => r.status === "confirmed").length,
          discrepancy: resolved.filter((r) => r.status === "discrepancy").length,
          pending: left,
          stopped: stopped?.reason ?? null,
        },
        "recall run",
      );
    }
    this.#d.onRun?.(run);
    return run;
  }
}
