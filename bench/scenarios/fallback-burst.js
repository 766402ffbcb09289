// Figure 6: the fallback burst. MyCareNet is down and the circuit open; 1 000 consultations on
// 10 connections, each answered from the store by the automatic nodes and recorded durably
// (group-committed). Target p99 ≤ 5 ms. The same burst on one connection follows.
import { load } from "../lib/load.js";
import { api, atMost, commitsBetween, progress, storeCommits } from "../lib/context.js";

export const name = "fallback-burst";

export async function run(ctx) {
  const daemon = await ctx.daemonA();
  progress("fallback burst");
  await ctx.setFaults({ all: { kind: "down" } });
  let health;
  for (let i = 0; i < 20; i++) {
    await api(daemon.url, "POST", "/v1/consultations", {
      token: ctx.tokens.dispensing,
      body: { patient: { niss: ctx.people[i] }, reference: `open-${i}` },
    });
    health = await api(daemon.url, "GET", "/v1/health", { token: ctx.tokens.dispensing });
    if (health.json?.status === "degraded") break;
  }
  if (health?.json?.status !== "degraded") throw new Error("the circuit did not open");
  const before = await storeCommits(daemon);
  const burst = await load({
    url: daemon.url,
    ...ctx.consultation(ctx.online),
    connections: 10,
    amount: 1000,
  });
  const after = await storeCommits(daemon);
  const serial = await load({
    url: daemon.url,
    ...ctx.consultation(ctx.online),
    connections: 1,
    amount: 1000,
  });
  await ctx.setFaults(undefined);
  const commits = commitsBetween(before, after);
  ctx.results.runs.fallbackBurst = { connections10: burst, connections1: serial, storeCommits: commits };
  ctx.figure({
    id: "6-fallback",
    label: "fallback burst p99: 1 000 consultations, MyCareNet down, circuit open, 10 connections",
    value: burst.latencyMs.p99,
    target: 5,
    compare: atMost,
    unit: "ms",
    detail: `p50 ${burst.latencyMs.p50.toFixed(2)} ms, ${burst.perSecond.toFixed(0)}/s; ${commits.text}; one connection: p50 ${serial.latencyMs.p50.toFixed(2)} ms, p99 ${serial.latencyMs.p99.toFixed(2)} ms; statuses ${JSON.stringify(burst.statuses)}`,
  });
}
