// Prometheus metrics, one registry per daemon (no global state: tests build several daemons).
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";

export interface Metrics {
  readonly registry: Registry;
  readonly consultations: Counter<"outcome" | "source">;
  readonly outages: Counter<"kind">;
  readonly circuitOpen: Gauge;
  readonly sessionsOpen: Gauge;
  /** 1 while no eHealth session is open: consultations answer from the fallback (brochure §9.3.1). */
  readonly noSession: Gauge;
  /** 1 for each insurer (national union) whose known patients go to the fallback. */
  readonly insurerSilent: Gauge<"insurer">;
  readonly recalls: Counter<"status">;
  readonly recallDifferences: Counter<"difference">;
  readonly probes: Counter<"kind" | "result">;
  readonly fallbackAnswers: Counter<"outcome">;
  readonly proportionalityRefusals: Counter<"rule">;
  readonly proportionalityAlert: Gauge;
  readonly pricingOffice: Counter<"result">;
  readonly purged: Counter<"table">;
  readonly lastPurge: Gauge;
  /** Local clock minus eHealth's, seconds. */
  readonly clockSkew: Gauge;
  /** Whole days before each watched certificate expires. */
  readonly certificateExpiry: Gauge<"certificate">;
  /** Requests answered with a problem (application/problem+json), by catalogue code. */
  readonly problems: Counter<"code">;
}

/**
 * The store's group commit (src/store/group-commit.ts): writes, the commits that held them and the
 * syncs of the WAL that made those durable, read when scraped. Above 1 per commit or per sync is
 * what grouping saves.
 */
export function observeStoreCommits(
  metrics: Metrics,
  stats: () => { writes: number; commits: number; syncs: number; failedCommits: number },
): void {
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [metrics.registry],
      collect() {
        this.set(read());
      },
    });
  gauge(
    "mcn_store_writes_total",
    "Writes to the store (each one caller's transaction).",
    () => stats().writes,
  );
  gauge("mcn_store_commits_total", "Commits of the store's transactions.", () => stats().commits);
  gauge(
    "mcn_store_syncs_total",
    "fdatasyncs of the store's WAL, each making every commit before it durable.",
    () => stats().syncs,
  );
  gauge(
    "mcn_store_failed_commits_total",
    "Store commits that failed (each rejected the writes it held).",
    () => stats().failedCommits,
  );
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: "mcn_" });
  return {
    registry,
    consultations: new Counter({
      name: "mcn_consultations_total",
      help: "Consultations answered, by outcome and by where the answer came from.",
      labelNames: ["outcome", "source"],
      registers: [registry],
    }),
    outages: new Counter({
      name: "mcn_outages_total",
      help: "Consultations MyCareNet could not answer, by kind of failure.",
      labelNames: ["kind"],
      registers: [registry],
    }),
    circuitOpen: new Gauge({
      name: "mcn_circuit_open",
      help: "1 while the daemon answers from the fallback without waiting for MyCareNet.",
      registers: [registry],
    }),
    sessionsOpen: new Gauge({
      name: "mcn_sessions_open",
      help: "Open eHealth sessions.",
      registers: [registry],
    }),
    noSession: new Gauge({
      name: "mcn_no_session",
      help: "1 while no eHealth session is open: consultations answer from the fallback (reason no-session).",
      registers: [registry],
    }),
    insurerSilent: new Gauge({
      name: "mcn_insurer_silent",
      help: "1 while an insurer (national union) is silent: its known patients answer from the fallback.",
      labelNames: ["insurer"],
      registers: [registry],
    }),
    recalls: new Counter({
      name: "mcn_recalls_total",
      help: "Fallback deliveries re-checked online, by result.",
      labelNames: ["status"],
      registers: [registry],
    }),
    recallDifferences: new Counter({
      name: "mcn_recall_differences_total",
      help: "Differences found by recalls between the fallback data and the online answer, by kind.",
      labelNames: ["difference"],
      registers: [registry],
    }),
    probes: new Counter({
      name: "mcn_circuit_probes_total",
      help: "Probes of MyCareNet while the circuit is open: a recall or a reachability check, and what came of it.",
      labelNames: ["kind", "result"],
      registers: [registry],
    }),
    fallbackAnswers: new Counter({
      name: "mcn_fallback_answers_total",
      help: "Pharmacist answers to the fallback questions, by the outcome they led to.",
      labelNames: ["outcome"],
      registers: [registry],
    }),
    proportionalityRefusals: new Counter({
      name: "mcn_proportionality_refusals_total",
      help: "Consultations refused before leaving for MyCareNet (bulk pattern, SPEC §1.6), by rule.",
      labelNames: ["rule"],
      registers: [registry],
    }),
    proportionalityAlert: new Gauge({
      name: "mcn_proportionality_alert",
      help: "1 while today's proportionality alert is raised and not lifted by a pharmacist.",
      registers: [registry],
    }),
    pricingOffice: new Counter({
      name: "mcn_pricing_office_consultations_total",
      help: "Pricing office requests, by result (answered, refused, rejected, unanswered).",
      labelNames: ["result"],
      registers: [registry],
    }),
    purged: new Counter({
      name: "mcn_retention_purged_total",
      help: "Rows removed by the retention purge, by kind (consultations, commitments, ...).",
      labelNames: ["table"],
      registers: [registry],
    }),
    lastPurge: new Gauge({
      name: "mcn_retention_last_purge_seconds",
      help: "Unix time of the last retention purge.",
      registers: [registry],
    }),
    clockSkew: new Gauge({
      name: "mcn_clock_skew_seconds",
      help: "This computer's clock minus eHealth's (HTTP Date of its last answer); health alerts beyond 60.",
      registers: [registry],
    }),
    certificateExpiry: new Gauge({
      name: "mcn_certificate_expiry_days",
      help: "Whole days before each certificate expires (organisation, personal, eid, sts, tls-trust); health warns under 30.",
      labelNames: ["certificate"],
      registers: [registry],
    }),
    problems: new Counter({
      name: "mcn_problems_total",
      help: "Requests answered with a problem (application/problem+json), by error code.",
      labelNames: ["code"],
      registers: [registry],
    }),
  };
}
