// Prometheus metrics, one registry per daemon (no global state: tests build several daemons).
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";

export interface Metrics {
  readonly registry: Registry;
  readonly consultations: Counter<"outcome" | "source">;
  readonly outages: Counter<"kind">;
  readonly circuitOpen: Gauge;
  readonly sessionsOpen: Gauge;
  readonly recalls: Counter<"status">;
  readonly recallDifferences: Counter<"difference">;
  readonly probes: Counter<"kind" | "result">;
  readonly fallbackAnswers: Counter<"outcome">;
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
  };
}
