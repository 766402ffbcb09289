// Figure 4: cache hits and stored-commitment lookups on daemon B (default cache, 1 000 000
// commitments), each interleaved with the bare fastify route, 10 connections: ≥ 0.7 of the
// ceiling and p99 ≤ 2 ms; then one connection at a time (the service time without a queue).
import { coveredQuestions } from "../lib/commitments.js";
import { interleave, load } from "../lib/load.js";
import { api, atLeast, atMost, micros, progress } from "../lib/context.js";

export const name = "reads";

export async function run(ctx) {
  const { settings: s, figure } = ctx;
  const daemon = await ctx.daemonB();
  const bare = await ctx.bare();
  progress("cache hits and commitment lookups");
  const cached = ctx.people.slice(0, 200);
  for (const [i, niss] of cached.entries()) {
    const r = await api(daemon.url, "POST", "/v1/consultations", {
      token: ctx.tokens.dispensing,
      body: { patient: { niss }, reference: `warm-${i}` },
    });
    if (r.status !== 201) throw new Error(`warming the cache: ${r.status} ${JSON.stringify(r.json)}`);
  }
  const lookups = coveredQuestions({ count: s.commitments, n: 100_000, seed: 5 });
  let lookup = 0;
  const on = { server: daemon.pid, load: "self" };
  const reads = {
    ceiling: { url: bare.url, path: "/constant", cpu: { server: bare.pid, load: "self" } },
    hits: { url: daemon.url, ...ctx.consultation((i) => ({ niss: cached[i % cached.length] })), cpu: on },
    lookups: {
      url: daemon.url,
      cpu: on,
      path: "/v1/commitments",
      headers: ctx.auth,
      setupRequest: (req) => {
        const q = lookups[lookup++ % lookups.length];
        return { ...req, path: `/v1/commitments?niss=${q.niss}&date=${q.date}` };
      },
    },
  };
  const rounds = await interleave(reads, { rounds: s.rounds, slice: s.slice, warmup: s.warmup });
  ctx.results.runs.reads = rounds;
  // Every question is for a day a seeded commitment covers: a run of 404s times nothing.
  if (!((rounds.lookups.statuses["200"] ?? 0) > 0))
    throw new Error(`commitment lookups found nothing: ${JSON.stringify(rounds.lookups.statuses)}`);
  for (const kind of ["hits", "lookups"]) {
    const r = rounds[kind];
    const what =
      kind === "hits"
        ? "cache hits (POST /v1/consultations)"
        : "stored-commitment lookups (GET /v1/commitments)";
    figure({
      id: `4-${kind}-ratio`,
      label: `${what} ÷ framework ceiling`,
      value: r.perSecond / rounds.ceiling.perSecond,
      target: 0.7,
      compare: atLeast,
      unit: "ratio",
      detail: `${r.perSecond.toFixed(0)} vs ${rounds.ceiling.perSecond.toFixed(0)} req/s (10 connections, ${s.rounds} × ${s.slice} s interleaved); CPU per request: daemon ${micros(r.cpuMicrosEach.server)}, bare fastify ${micros(rounds.ceiling.cpuMicrosEach.server)}; statuses ${JSON.stringify(r.statuses)}`,
    });
    figure({
      id: `4-${kind}-p99`,
      label: `${what} p99, 10 connections`,
      value: r.latencyMs.p99,
      target: 2,
      compare: atMost,
      unit: "ms",
      detail: `p50 ${r.latencyMs.p50.toFixed(3)} ms, max ${r.latencyMs.max.toFixed(1)} ms`,
    });
  }
  const serial = {
    hits: await load({ ...reads.hits, connections: 1, duration: Math.min(s.duration, 5) }),
    lookups: await load({ ...reads.lookups, connections: 1, duration: Math.min(s.duration, 5) }),
  };
  ctx.results.runs.readsOneConnection = serial;
  ctx.answeredB +=
    rounds.hits.responses + rounds.hits.warmupResponses + serial.hits.responses + cached.length;
}
