// Figure 3: what the daemon adds to MyCareNet's own time. The simulator answers after 50 ms; one
// client (nothing queues): p50 ≤ 50 + 2 ms, p99 ≤ 50 + 10 ms. Twenty clients come beside it.
import { load } from "../lib/load.js";
import { atMost, micros, progress } from "../lib/context.js";

const cpuEach = (run, who) =>
  run.cpuSeconds[who] === null ? null : (run.cpuSeconds[who] * 1e6) / run.responses;

export const name = "latency";
const UPSTREAM_MS = 50;

export async function run(ctx) {
  const { settings: s, figure } = ctx;
  const daemon = await ctx.daemonA();
  progress("simulator latency 50 ms: one client, then 20");
  await ctx.setFaults({ all: { latencyMs: UPSTREAM_MS } });
  const one = await load({
    url: daemon.url,
    ...ctx.consultation(ctx.online),
    connections: 1,
    duration: s.duration,
    warmup: s.warmup,
    // Whose CPU the added milliseconds are: part of them is the simulator's own work, MyCareNet's.
    cpu: { daemon: daemon.pid, simulator: ctx.sim.pid },
  });
  const twenty = await load({
    url: daemon.url,
    ...ctx.consultation(ctx.online),
    connections: 20,
    duration: Math.min(s.duration, 5),
  });
  await ctx.setFaults(undefined);
  ctx.answeredA += one.responses + one.warmupResponses + twenty.responses;
  ctx.results.runs.latency50OneClient = one;
  ctx.results.runs.latency50 = twenty;
  figure({
    id: "3-p50",
    label: "added latency p50, one client, MyCareNet at 50 ms",
    value: one.latencyMs.p50 - UPSTREAM_MS,
    target: 2,
    compare: atMost,
    unit: "ms",
    detail: `p50 ${one.latencyMs.p50.toFixed(2)} ms, ${one.responses} consultations; CPU per consultation: daemon ${micros(cpuEach(one, "daemon"))}, simulator ${micros(cpuEach(one, "simulator"))} (its parsing, verifying and answering count in the added time); statuses ${JSON.stringify(one.statuses)}`,
  });
  figure({
    id: "3-p99",
    label: "added latency p99, one client, MyCareNet at 50 ms",
    value: one.latencyMs.p99 - UPSTREAM_MS,
    target: 10,
    compare: atMost,
    unit: "ms",
    detail: `p99 ${one.latencyMs.p99.toFixed(2)} ms, max ${one.latencyMs.max.toFixed(1)} ms; 20 clients: ${twenty.perSecond.toFixed(0)}/s, p50 ${twenty.latencyMs.p50.toFixed(1)} ms, p99 ${twenty.latencyMs.p99.toFixed(1)} ms`,
  });
}
