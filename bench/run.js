// `npm run bench`: the daemon against the targets of issues 7 and 18, on loopback, each part its
// own process (the MyCareNet simulator, the daemon as `node dist/main.js` configured by
// environment, a bare fastify server, the signature ceiling), the load from autocannon in this
// process. One scenario per file under bench/scenarios/, the micro-benchmarks under bench/micro/;
// this driver runs them in order and writes bench/results/latest.json and the results section of
// bench/README.md.
//
// `node bench/run.js [scenario ...]` runs only those (daemons start on first use) and writes
// bench/results/partial.json instead. Settings (environment): MCN_DIST, BENCH_DURATION (10),
// BENCH_SLICE (2), BENCH_WARMUP (2), BENCH_CONSULTATIONS (100000), BENCH_COMMITMENTS (1000000),
// BENCH_KEEP=1 (keep the run directory with logs and CPU profiles).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createContext, progress } from "./lib/context.js";
import { writeReport } from "./lib/report.js";
import * as stateless from "./scenarios/stateless.js";
import * as consultations from "./scenarios/consultations.js";
import * as latency from "./scenarios/latency.js";
import * as footprintCacheOff from "./scenarios/footprint-cache-off.js";
import * as fallbackBurst from "./scenarios/fallback-burst.js";
import * as profile from "./scenarios/profile.js";
import * as store from "./scenarios/store.js";
import * as reads from "./scenarios/reads.js";
import * as footprintCacheOn from "./scenarios/footprint-cache-on.js";
import * as micro from "./scenarios/micro.js";

// Daemon A serves the first five (fallback-burst opens its circuit: last), daemon B the last two.
const ORDER = [
  micro,
  stateless,
  consultations,
  latency,
  footprintCacheOff,
  fallbackBurst,
  profile,
  store,
  reads,
  footprintCacheOn,
];
const asked = process.argv.slice(2);
const unknown = asked.filter((n) => !ORDER.some((s) => s.name === n));
if (unknown.length > 0) {
  progress(`unknown scenario ${unknown.join(", ")}; known: ${ORDER.map((s) => s.name).join(", ")}`);
  process.exit(2);
}
const chosen = asked.length === 0 ? ORDER : ORDER.filter((s) => asked.includes(s.name));

const ctx = await createContext();
try {
  for (const scenario of chosen) {
    await scenario.run(ctx);
    ctx.results.scenarios.push(scenario.name);
    if (scenario === fallbackBurst) await ctx.stopDaemonA();
  }
  const { results } = ctx;
  results.machine.loadAverageAtEnd = loadavg();
  results.figures.sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));
  for (const f of results.figures) delete f.compare;
  const resultsDir = fileURLToPath(new URL("./results/", import.meta.url));
  mkdirSync(resultsDir, { recursive: true });
  const whole = chosen === ORDER;
  writeFileSync(
    join(resultsDir, whole ? "latest.json" : "partial.json"),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  if (whole) await writeReport(fileURLToPath(new URL("./README.md", import.meta.url)), results);
  for (const f of results.figures) {
    progress(
      `${f.met ? "met " : "MISS"} ${f.id}: ${typeof f.value === "number" ? f.value.toFixed(3) : f.value} (target ${f.target} ${f.unit})`,
    );
  }
  progress(
    `written bench/results/${whole ? "latest.json and bench/README.md" : "partial.json"}${process.env.BENCH_KEEP ? `; run directory ${ctx.dir}` : ""}`,
  );
} catch (error) {
  progress(`failed: ${error instanceof Error ? error.stack : String(error)} (logs in ${ctx.dir})`);
  process.exitCode = 1;
} finally {
  await ctx.close();
  if (!process.env.BENCH_KEEP && process.exitCode !== 1) rmSync(ctx.dir, { recursive: true, force: true });
}
