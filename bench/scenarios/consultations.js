// Figure 2: the daemon's efficiency on online consultations (cache off, simulator latency 0, 10
// connections): one RSA-2048 signature's CPU time ÷ the daemon's own CPU time per consultation,
// both measured on their own process (process.cpuUsage in the signer, /proc/<pid>/stat of the
// daemon), so that the simulator and the load generator sharing the cores do not enter it.
// Target ≥ 0.5 (moonshot 0.7). Consultations/s and the ratio to signatures/s come beside it.
import { interleave } from "../lib/load.js";
import { startSignatureCeiling } from "../lib/processes.js";
import { atLeast, commitsBetween, micros, progress, storeCommits } from "../lib/context.js";

export const name = "consultations";

export async function run(ctx) {
  const { settings: s, figure } = ctx;
  const daemon = await ctx.daemonA();
  progress("signature ceiling and online consultations, cache off, simulator latency 0");
  const signer = ctx.track(await startSignatureCeiling());
  const before = await storeCommits(daemon);
  const item = await interleave(
    {
      signatures: { run: (seconds) => signer.run(seconds) },
      consultations: {
        url: daemon.url,
        ...ctx.consultation(ctx.online),
        connections: 10,
        cpu: { daemon: daemon.pid, simulator: ctx.sim.pid, load: "self" },
      },
    },
    { rounds: s.rounds, slice: s.slice, warmup: s.warmup },
  );
  const after = await storeCommits(daemon);
  await ctx.finish(signer);
  const { signatures, consultations: c } = item;
  ctx.answeredA += c.responses + c.warmupResponses;
  const commits = commitsBetween(before, after);
  ctx.results.runs.signatureCeiling = { ...signatures, msEach: 1000 / signatures.perSecond };
  ctx.results.runs.consultations = { ...c, storeCommits: commits };
  figure({
    id: "2-efficiency",
    label: "one RSA-2048 signature's CPU ÷ the daemon's CPU per online consultation (cache off)",
    value: signatures.cpuMicrosEach / c.cpuMicrosEach.daemon,
    target: 0.5,
    compare: atLeast,
    unit: "ratio",
    detail: `signature ${micros(signatures.cpuMicrosEach)} of CPU, daemon ${micros(c.cpuMicrosEach.daemon)} per consultation (simulator ${micros(c.cpuMicrosEach.simulator)}, load generator ${micros(c.cpuMicrosEach.load)}); ${commits.text}`,
  });
  figure({
    id: "2-consultations",
    label:
      "online consultations/s (cache off, simulator latency 0, 10 connections) ÷ signatures/s on one core",
    value: c.perSecond / signatures.perSecond,
    target: 0.5,
    compare: atLeast,
    unit: "ratio",
    detail: `${c.perSecond.toFixed(0)} consultations/s (p50 ${c.latencyMs.p50.toFixed(1)} ms, p99 ${c.latencyMs.p99.toFixed(1)} ms; statuses ${JSON.stringify(c.statuses)}) vs ${signatures.perSecond.toFixed(0)} signatures/s, ${s.rounds} × ${s.slice} s interleaved. The daemon, the simulator and the load generator share the two cores: this ratio moves with them`,
  });
}
