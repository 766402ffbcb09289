// What every scenario of `npm run bench` shares: the settings, the simulator and its test PKI,
// the API tokens, the daemon's environment, the two daemons (started on first use, so that one
// scenario can run alone), the figures and the runs kept for the report.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { execFileSync } from "node:child_process";
import { BENCH_AUDIT_KEY, seedCommitments } from "./commitments.js";
import { memoryOf, startBare, startDaemon, startSimulator, stop } from "./processes.js";

export const settings = {
  dist: (process.env.MCN_DIST ?? fileURLToPath(new URL("../../dist/", import.meta.url))).replace(/\/?$/, "/"),
  duration: Number(process.env.BENCH_DURATION ?? 10),
  warmup: Number(process.env.BENCH_WARMUP ?? 2),
  consultations: Number(process.env.BENCH_CONSULTATIONS ?? 100_000),
  commitments: Number(process.env.BENCH_COMMITMENTS ?? 1_000_000),
  slice: Number(process.env.BENCH_SLICE ?? 2),
  starts: 3,
};
settings.rounds = Math.max(1, Math.round(settings.duration / settings.slice));
settings.distUrl = pathToFileURL(settings.dist).href.replace(/\/?$/, "/");

export const micros = (x) => (x === null || x === undefined ? "n/a" : `${x.toFixed(0)} µs`);
export const progress = (text) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
export const atLeast = (v, t) => v >= t;
export const atMost = (v, t) => v <= t;

/**
 * @param {string} base
 * @param {string} method
 * @param {string} path
 * @param {{ token?: string, body?: unknown }} [options]
 */
export async function api(base, method, path, { token, body } = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

export function machine() {
  const list = cpus();
  let os = `${process.platform} ${process.arch}`;
  try {
    os = execFileSync("uname", ["-srm"], { encoding: "utf8" }).trim();
  } catch {
    /* keep the short form */
  }
  return {
    cpuModel: list[0]?.model ?? "unknown",
    cpuCount: list.length,
    cpuMHz: list[0]?.speed ?? null,
    memoryGb: totalmem() / 2 ** 30,
    os,
    node: process.version,
    loadAverageAtStart: loadavg(),
  };
}

/** The daemon's store counters (mcn_store_*_total on /metrics): writes per commit, commits per sync. */
export async function storeCommits(daemon) {
  const text = await (await fetch(`${daemon.url}/metrics`)).text();
  const read = (name) => Number(new RegExp(`^${name} (\\d+)`, "m").exec(text)?.[1] ?? NaN);
  return {
    writes: read("mcn_store_writes_total"),
    commits: read("mcn_store_commits_total"),
    // NaN for builds before the WAL's own sync (each commit was its own fsync then).
    syncs: read("mcn_store_syncs_total"),
  };
}

/** Writes, commits and syncs between two readings of storeCommits, and a sentence for them. */
export function commitsBetween(before, after) {
  const writes = after.writes - before.writes;
  const commits = after.commits - before.commits;
  const syncs = Number.isFinite(after.syncs) ? after.syncs - before.syncs : commits;
  const text = `${(writes / commits).toFixed(2)} writes per commit (${writes} writes, ${commits} commits, ${syncs} syncs of the WAL)`;
  return { writes, commits, syncs, text };
}

export async function createContext() {
  const { dist } = settings;
  const dir = mkdtempSync(join(tmpdir(), "mcn-bench-"));
  const running = new Set();
  const track = (proc) => (running.add(proc), proc);
  const finish = async (proc) => {
    running.delete(proc);
    return stop(proc);
  };
  const results = {
    generatedAt: new Date().toISOString(),
    machine: machine(),
    settings: {
      durationSeconds: settings.duration,
      sliceSeconds: settings.slice,
      rounds: settings.rounds,
      warmupSeconds: settings.warmup,
      consultations: settings.consultations,
      commitments: settings.commitments,
    },
    scenarios: [],
    runs: {},
    figures: [],
  };
  const figure = (f) =>
    results.figures.push({
      ...f,
      // What the report prints: "≤" for a figure that must stay under its target.
      atMost: f.compare === atMost,
      met: f.value === null ? false : f.compare(f.value, f.target),
    });

  const { createPopulation } = await import(pathToFileURL(join(dist, "simulator/population.js")).href);
  const { writeApiTokens } = await import(pathToFileURL(join(dist, "demo/tokens.js")).href);
  const { acceptanceEnv } = await import(pathToFileURL(join(dist, "demo/acceptance-env.js")).href);

  progress("starting the simulator");
  const sim = track(
    await startSimulator({ dist, dataDir: join(dir, "sim"), logFile: join(dir, "simulator.log") }),
  );
  const pki = JSON.parse(readFileSync(join(sim.pki, "pki.json"), "utf8"));
  const control = (method, path, body) => api(sim.control, method, path, { body });
  const setFaults = async (plan) => {
    const r = plan
      ? await control("PUT", "/_control/faults", plan)
      : await control("DELETE", "/_control/faults");
    if (r.status !== 200) throw new Error(`fault plan refused: ${JSON.stringify(r.json)}`);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the listener closes or reopens
  };
  const { json: stats } = await control("GET", "/_control/stats");
  const population = createPopulation(stats.seed, stats.today);
  const scenarioNiss = new Set(Object.values(population.scenarios).map((s) => s.niss));
  const people = population.people.map((p) => p.niss).filter((n) => n && !scenarioNiss.has(n));
  const tokens = writeApiTokens(dir, pki.holder.nihii);
  const tokensFile = tokens.file;
  const daemonEnv = (simulator, dataDir, extra = {}) =>
    acceptanceEnv({ pki, simulator, dataDir, tokensFile, extra });
  const openSession = async (daemon) => {
    const r = await api(daemon.url, "POST", "/v1/sessions", {
      token: tokens.pharmacist,
      body: { method: "personal-certificate" },
    });
    if (r.status !== 201) throw new Error(`cannot open a session: ${r.status} ${JSON.stringify(r.json)}`);
    // A synthetic load of hundreds of consultations a second is exactly what the proportionality
    // guard refuses (brochure §7.2): lifted for the day, as a pharmacist would for a legitimate
    // bulk (audited). Its two store queries then no longer run on each consultation.
    const lift = await api(daemon.url, "POST", "/v1/proportionality/lift", {
      token: tokens.pharmacist,
      body: { reason: "benchmark" },
    });
    if (lift.status !== 201 && lift.status !== 200)
      throw new Error(`cannot lift the proportionality guard: ${lift.status} ${JSON.stringify(lift.json)}`);
  };
  const auth = { authorization: `Bearer ${tokens.dispensing}` };
  const json = { ...auth, "content-type": "application/json" };
  let reference = 0;
  // Each request a new consultation: a patient taken in turn, a reference of its own.
  const consultation = (question) => ({
    method: "POST",
    path: "/v1/consultations",
    headers: json,
    body: "{}",
    setupRequest: (req) => {
      const q = question(reference);
      reference += 1;
      return {
        ...req,
        body: JSON.stringify({
          patient: { niss: q.niss },
          reference: `bench-${reference}`,
          ...(q.date ? { deliveryDate: q.date } : {}),
        }),
      };
    },
  });
  const online = (i) => ({ niss: people[i % people.length] });

  // Starts a daemon STARTS times (start to ready, figure 5), keeps the last one up.
  const startTimes = async (name, dataDir, extraEnv) => {
    const starts = [];
    let daemon;
    for (let i = 0; i < settings.starts; i++) {
      daemon = track(
        await startDaemon({
          dist,
          env: daemonEnv(sim, dataDir, extraEnv),
          logFile: join(dir, `daemon-${name}-${i}.log`),
        }),
      );
      starts.push({ wallMs: daemon.wallMs, readyMs: daemon.readyMs, rssMb: memoryOf(daemon.pid).rssMb });
      if (i < settings.starts - 1) await finish(daemon);
    }
    await openSession(daemon);
    return { daemon, starts };
  };

  let daemonA;
  let daemonB;
  let bare;
  const ctx = {
    settings,
    dir,
    results,
    figure,
    sim,
    pki,
    stats,
    people,
    tokens,
    auth,
    json,
    setFaults,
    daemonEnv,
    openSession,
    consultation,
    online,
    track,
    finish,
    reference: () => reference,
    /** Consultations daemon A answered so far (for the memory figure after N consultations). */
    answeredA: 0,
    answeredB: 0,
    /** Daemon A: cache off, empty store (figures 1, 2, 3, 5 cache off, 6). */
    async daemonA() {
      if (daemonA) return daemonA;
      progress("start to ready, daemon A (cache off), fresh store");
      const started = await startTimes("a", join(dir, "daemon-a"), { MCN_CACHE_TTL_MS: "0" });
      results.runs.startA = started.starts;
      daemonA = started.daemon;
      return daemonA;
    },
    stopDaemonA: async () => {
      if (daemonA) await finish(daemonA);
      daemonA = undefined;
    },
    /** Daemon B: default cache, a store already holding COMMITMENTS commitments (figures 4, 5 cache on). */
    async daemonB() {
      if (daemonB) return daemonB;
      const dataB = join(dir, "daemon-b");
      await ctx.seededStore();
      progress(
        `start to ready, daemon B (cache on), ${settings.commitments.toLocaleString("en")} commitments`,
      );
      const started = await startTimes("b", dataB, {});
      results.runs.startB = started.starts;
      daemonB = started.daemon;
      return daemonB;
    },
    stopDaemonB: async () => {
      if (daemonB) await finish(daemonB);
      daemonB = undefined;
    },
    seeded: undefined,
    /** Daemon B's store file, seeded once. */
    async seededStore() {
      if (ctx.seeded) return ctx.seeded;
      const dataB = join(dir, "daemon-b");
      mkdirSync(dataB, { recursive: true, mode: 0o700 });
      writeFileSync(join(dataB, "audit.key"), `${BENCH_AUDIT_KEY.toString("hex")}\n`, { mode: 0o600 });
      const file = join(dataB, "mcn-rights.sqlite");
      progress(`seeding ${settings.commitments} commitments`);
      ctx.seeded = { file, load: await seedCommitments({ dist, file, count: settings.commitments }) };
      return ctx.seeded;
    },
    /** The bare fastify route, the framework ceiling (figures 1 and 4). */
    async bare() {
      bare ??= track(await startBare({ logFile: join(dir, "bare.log") }));
      return bare;
    },
    async close() {
      for (const proc of running) await stop(proc);
    },
  };
  return ctx;
}
