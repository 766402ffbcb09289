// Figure 1: the stateless routes against the framework ceiling (a bare fastify route), 10
// connections, interleaved. Throughput ratio ≥ 0.8, and CPU per request ÷ bare fastify's ≤ 1.5:
// the CPU ratio is the daemon's own cost, whatever the load generator takes of the same cores.
import { interleave } from "../lib/load.js";
import { atLeast, atMost, micros, progress } from "../lib/context.js";

export const name = "stateless";

export async function run(ctx) {
  const { settings: s, figure, auth, json } = ctx;
  const daemon = await ctx.daemonA();
  const bare = await ctx.bare();
  progress("framework ceiling and stateless routes");
  const on = { server: daemon.pid, load: "self" };
  const rounds = await interleave(
    {
      ceiling: { url: bare.url, path: "/constant", cpu: { server: bare.pid, load: "self" } },
      niss: { url: daemon.url, path: "/v1/niss/85073003328", headers: auth, cpu: on },
      evaluate: {
        url: daemon.url,
        cpu: on,
        method: "POST",
        path: "/v1/fallback/evaluate",
        headers: json,
        body: JSON.stringify({ networkAvailable: false, patientKnown: true, commitmentCoversDate: true }),
      },
    },
    { rounds: s.rounds, slice: s.slice, warmup: s.warmup },
  );
  ctx.results.runs.stateless = rounds;
  const ceiling = rounds.ceiling;
  for (const route of ["niss", "evaluate"]) {
    const r = rounds[route];
    const label = route === "niss" ? "GET /v1/niss/{value}" : "POST /v1/fallback/evaluate";
    figure({
      id: `1-${route}`,
      label: `${label} ÷ framework ceiling`,
      value: r.perSecond / ceiling.perSecond,
      target: 0.8,
      compare: atLeast,
      unit: "ratio",
      detail: `${r.perSecond.toFixed(0)} vs ${ceiling.perSecond.toFixed(0)} req/s (10 connections, ${s.rounds} × ${s.slice} s interleaved); p99 ${r.latencyMs.p99.toFixed(2)} ms; load generator ${micros(r.cpuMicrosEach.load)} vs ${micros(ceiling.cpuMicrosEach.load)} per request; statuses ${JSON.stringify(r.statuses)}`,
    });
    figure({
      id: `1-${route}-cpu`,
      label: `${label}: daemon CPU per request ÷ bare fastify's`,
      value: r.cpuMicrosEach.server / ceiling.cpuMicrosEach.server,
      target: 1.5,
      compare: atMost,
      unit: "ratio",
      detail: `daemon ${micros(r.cpuMicrosEach.server)}, bare fastify ${micros(ceiling.cpuMicrosEach.server)} per request (user + system, /proc/<pid>/stat over the slices)`,
    });
  }
}
