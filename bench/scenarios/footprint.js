// Figure 5: resident memory after CONSULTATIONS consultations (daemon A, cache off; daemon B,
// cache on and full) and start to ready, keystores loaded (3 starts per daemon, the slowest counts).
import { load } from "../lib/load.js";
import { memoryOf } from "../lib/processes.js";
import { median } from "../lib/stats.js";
import { atMost, progress } from "../lib/context.js";

const starts = (ctx, id, list, what) =>
  ctx.figure({
    id,
    label: `start to ready, keystores loaded, ${what} (slowest of ${list.length})`,
    value: Math.max(...list.map((x) => x.wallMs)),
    target: 1000,
    compare: atMost,
    unit: "ms",
    detail: `spawn to "ready" line: ${list.map((x) => x.wallMs.toFixed(0)).join(", ")} ms (median ${median(list.map((x) => x.wallMs)).toFixed(0)}); readyMs logged by the daemon: ${list.map((x) => x.readyMs).join(", ")} ms`,
  });

/** Daemon A, cache off: filled to CONSULTATIONS, then its memory. */
export async function cacheOff(ctx) {
  const { settings: s } = ctx;
  const daemon = await ctx.daemonA();
  const remaining = s.consultations - ctx.answeredA;
  progress(`${Math.max(0, remaining)} more consultations on daemon A (to ${s.consultations})`);
  const fill =
    remaining > 0
      ? await load({ url: daemon.url, ...ctx.consultation(ctx.online), connections: 10, amount: remaining })
      : null;
  if (fill) ctx.answeredA += fill.responses;
  const memory = { consultations: ctx.answeredA, ...memoryOf(daemon.pid) };
  ctx.results.runs.memoryA = { ...memory, fill };
  const list = ctx.results.runs.startA;
  ctx.figure({
    id: "5-rss-cache-off",
    label: `resident memory after ${memory.consultations.toLocaleString("en")} consultations, cache off (daemon A)`,
    value: memory.rssMb,
    target: 200,
    compare: atMost,
    unit: "MB",
    detail: `peak ${memory.peakRssMb?.toFixed(0)} MB; ${list.at(-1).rssMb?.toFixed(0)} MB when ready`,
  });
  starts(ctx, "5-ready-fresh", list, "fresh store");
}

/** Daemon B, cache on: enough distinct questions to fill the cache (1 000 patients × 10 days). */
export async function cacheOn(ctx) {
  const { settings: s } = ctx;
  const daemon = await ctx.daemonB();
  const before = ctx.reference();
  const days = Array.from({ length: 10 }, (_, k) => {
    const d = new Date(`${ctx.stats.today}T12:00:00Z`);
    d.setUTCDate(d.getUTCDate() - k);
    return d.toISOString().slice(0, 10);
  });
  const spread = (i) => {
    const j = i - before;
    return { niss: ctx.people[j % 1000], date: days[Math.floor(j / 1000) % days.length] };
  };
  // The 10 000 distinct questions that fill the cache, unless BENCH_CONSULTATIONS asks for fewer
  // (a quick run: the memory is then not that of a full cache).
  const distinct = Math.min(days.length * 1000, s.consultations);
  const amount = Math.max(distinct, s.consultations - ctx.answeredB);
  progress(`${amount} more consultations on daemon B (cache on), ${distinct} of them distinct`);
  const fill =
    amount > 0 ? await load({ url: daemon.url, ...ctx.consultation(spread), connections: 10, amount }) : null;
  if (fill) ctx.answeredB += fill.responses;
  const memory = { consultations: ctx.answeredB, ...memoryOf(daemon.pid) };
  ctx.results.runs.memoryB = { ...memory, fill };
  const list = ctx.results.runs.startB;
  ctx.figure({
    id: "5-rss-cache-on",
    label: `resident memory after ${memory.consultations.toLocaleString("en")} consultations, cache on and full (daemon B, ${s.commitments.toLocaleString("en")} commitments)`,
    value: memory.rssMb,
    target: 200,
    compare: atMost,
    unit: "MB",
    detail: `peak ${memory.peakRssMb?.toFixed(0)} MB; ${list.at(-1).rssMb?.toFixed(0)} MB when ready`,
  });
  starts(ctx, "5-ready-1m", list, `${s.commitments.toLocaleString("en")} commitments`);
}
