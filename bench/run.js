// `npm run bench`: the daemon against the targets of issue 7, on loopback, each part its own
// process (the MyCareNet simulator, the daemon as `node dist/main.js` configured by environment,
// a bare fastify server), the load from autocannon in this process. Targets are ratios to
// ceilings measured in the same run, so that they hold on a noisy shared machine. Writes
// bench/results/latest.json and the results section of bench/README.md.
//
// Settings (environment): MCN_DIST (build to use, default dist/), BENCH_DURATION (s of load per
// measure, 10), BENCH_SLICE (s, 2: compared measures alternate in slices this long),
// BENCH_WARMUP (s, 2), BENCH_CONSULTATIONS (100000), BENCH_COMMITMENTS (1000000), BENCH_KEEP=1
// (keep the run directory with logs and CPU profiles).
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { execFileSync } from "node:child_process";
import { attribute, DAEMON_RULES, SIMULATOR_RULES } from "./lib/cpu-profile.js";
import { BENCH_AUDIT_KEY, coveredQuestions, seedCommitments } from "./lib/commitments.js";
import { interleave, load } from "./lib/load.js";
import {
  memoryOf,
  startBare,
  startDaemon,
  startSignatureCeiling,
  startSimulator,
  stop,
} from "./lib/processes.js";
import { median } from "./lib/stats.js";
import { writeReport } from "./lib/report.js";
import { storeBench } from "./store.js";

const dist = (process.env.MCN_DIST ?? fileURLToPath(new URL("../dist/", import.meta.url))).replace(
  /\/?$/,
  "/",
);
const distUrl = pathToFileURL(dist).href.replace(/\/?$/, "/");
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const CONSULTATIONS = Number(process.env.BENCH_CONSULTATIONS ?? 100_000);
const COMMITMENTS = Number(process.env.BENCH_COMMITMENTS ?? 1_000_000);
const SLICE = Number(process.env.BENCH_SLICE ?? 2);
const ROUNDS = Math.max(1, Math.round(DURATION / SLICE));
const STARTS = 3;

const micros = (x) => (x === null || x === undefined ? "n/a" : `${x.toFixed(0)} µs`);
const progress = (text) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${text}\n`);
const dir = mkdtempSync(join(tmpdir(), "mcn-bench-"));
const running = new Set();
const track = (proc) => (running.add(proc), proc);
const finish = async (proc) => {
  running.delete(proc);
  return stop(proc);
};

const { createPopulation } = await import(pathToFileURL(join(dist, "simulator/population.js")).href);
const { SIMULATOR_LICENCE } = await import(pathToFileURL(join(dist, "simulator/server.js")).href);

async function api(base, method, path, { token, body } = {}) {
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

function machine() {
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

async function main() {
  const results = {
    generatedAt: new Date().toISOString(),
    machine: machine(),
    settings: {
      durationSeconds: DURATION,
      sliceSeconds: SLICE,
      rounds: ROUNDS,
      warmupSeconds: WARMUP,
      consultations: CONSULTATIONS,
      commitments: COMMITMENTS,
    },
    runs: {},
    figures: [],
  };
  const figure = (f) =>
    results.figures.push({ ...f, met: f.value === null ? false : f.compare(f.value, f.target) });
  const atLeast = (v, t) => v >= t;
  const atMost = (v, t) => v <= t;

  // --- the simulated MyCareNet, its test PKI, the synthetic population ----------------------
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
  const tokens = {
    dispensing: randomBytes(24).toString("base64url"),
    pharmacist: randomBytes(24).toString("base64url"),
  };
  const tokensFile = join(dir, "tokens.json");
  writeFileSync(
    tokensFile,
    JSON.stringify({
      tokens: [
        { token: tokens.dispensing, role: "dispensing", name: "counter-1" },
        { token: tokens.pharmacist, role: "pharmacist", name: "pharmacist", nihii: pki.holder.nihii },
      ],
    }),
    { mode: 0o600 },
  );
  const daemonEnv = (simulator, dataDir, extra = {}) => ({
    MCN_ENV: "acceptance",
    MCN_LISTEN: "127.0.0.1:0",
    MCN_DATA_DIR: dataDir,
    MCN_LOG_LEVEL: "info", // the production default: one line per request
    MCN_STS_URL: simulator.sts,
    MCN_INSURABILITY_URL: simulator.insurability,
    MCN_STS_CERT: pki.sts.certPath,
    MCN_PHARMACY_NIHII: pki.pharmacy.nihii,
    MCN_PHARMACY_NAME: pki.pharmacy.name,
    MCN_HOLDER_NIHII: pki.holder.nihii,
    MCN_HOLDER_SSIN: pki.holder.ssin,
    MCN_HOLDER_NAME: pki.holder.name,
    MCN_ORG_KEYSTORE: pki.organisation.p12Path,
    MCN_ORG_KEYSTORE_PASSWORD: pki.organisation.password,
    MCN_PERSONAL_KEYSTORE: pki.personal.p12Path,
    MCN_PERSONAL_KEYSTORE_PASSWORD: pki.personal.password,
    MCN_PACKAGE_NAME: "mcn-rights",
    MCN_PACKAGE_LICENSE_USER: SIMULATOR_LICENCE.username,
    MCN_PACKAGE_LICENSE_PASSWORD: SIMULATOR_LICENCE.password,
    MCN_TOKENS_FILE: tokensFile,
    ...extra,
  });
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

  // --- 5. start to ready, fresh store (the third start stays up as daemon A, cache off) ------
  progress("start to ready, daemon A (cache off), fresh store");
  const dataA = join(dir, "daemon-a");
  const startsA = [];
  let daemonA;
  for (let i = 0; i < STARTS; i++) {
    daemonA = track(
      await startDaemon({
        dist,
        env: daemonEnv(sim, dataA, { MCN_CACHE_TTL_MS: "0" }),
        logFile: join(dir, `daemon-a-${i}.log`),
      }),
    );
    startsA.push({ wallMs: daemonA.wallMs, readyMs: daemonA.readyMs, rssMb: memoryOf(daemonA.pid).rssMb });
    if (i < STARTS - 1) await finish(daemonA);
  }
  results.runs.startA = startsA;
  await openSession(daemonA);

  // --- 1. framework ceiling and the stateless routes ----------------------------------------
  progress("framework ceiling and stateless routes");
  const bare = track(await startBare({ logFile: join(dir, "bare.log") }));
  const onA = { server: daemonA.pid, load: "self" };
  const stateless = {
    ceiling: { url: bare.url, path: "/constant", cpu: { server: bare.pid, load: "self" } },
    niss: { url: daemonA.url, path: "/v1/niss/85073003328", headers: auth, cpu: onA },
    evaluate: {
      url: daemonA.url,
      cpu: onA,
      method: "POST",
      path: "/v1/fallback/evaluate",
      headers: json,
      body: JSON.stringify({ networkAvailable: false, patientKnown: true, commitmentCoversDate: true }),
    },
  };
  const rounds = await interleave(stateless, { rounds: ROUNDS, slice: SLICE, warmup: WARMUP });
  results.runs.stateless = rounds;
  const ceiling = rounds.ceiling.perSecond;
  for (const name of ["niss", "evaluate"]) {
    const run = rounds[name];
    figure({
      id: `1-${name}`,
      label:
        name === "niss"
          ? "GET /v1/niss/{value} ÷ framework ceiling"
          : "POST /v1/fallback/evaluate ÷ framework ceiling",
      value: run.perSecond / ceiling,
      target: 0.8,
      compare: atLeast,
      unit: "ratio",
      detail: `${run.perSecond.toFixed(0)} vs ${ceiling.toFixed(0)} req/s (10 connections, ${ROUNDS} × ${SLICE} s interleaved); p99 ${run.latencyMs.p99.toFixed(2)} ms; CPU per request: daemon ${micros(run.cpuMicrosEach.server)}, bare fastify ${micros(rounds.ceiling.cpuMicrosEach.server)}, load generator ${micros(run.cpuMicrosEach.load)} vs ${micros(rounds.ceiling.cpuMicrosEach.load)}; statuses ${JSON.stringify(run.statuses)}`,
    });
  }

  // --- 2. signature ceiling, then online consultations through the daemon ------------------
  progress("signature ceiling and online consultations, cache off, simulator latency 0");
  const signer = track(await startSignatureCeiling());
  const item2 = await interleave(
    {
      signatures: { run: (seconds) => signer.run(seconds) },
      consultations: {
        url: daemonA.url,
        ...consultation(online),
        connections: 10,
        cpu: { daemon: daemonA.pid, simulator: sim.pid, load: "self" },
      },
    },
    { rounds: ROUNDS, slice: SLICE, warmup: WARMUP },
  );
  await finish(signer);
  const signatures = item2.signatures;
  const consultRun = item2.consultations;
  results.runs.signatureCeiling = { ...signatures, msEach: 1000 / signatures.perSecond };
  results.runs.consultations = consultRun;
  figure({
    id: "2-consultations",
    label: "online consultations/s (cache off, simulator latency 0) ÷ RSA-2048 signatures/s on one core",
    value: consultRun.perSecond / signatures.perSecond,
    target: 0.5,
    compare: atLeast,
    unit: "ratio",
    detail: `${consultRun.perSecond.toFixed(0)} consultations/s (10 connections; p50 ${consultRun.latencyMs.p50.toFixed(1)} ms, p99 ${consultRun.latencyMs.p99.toFixed(1)} ms; statuses ${JSON.stringify(consultRun.statuses)}) vs ${signatures.perSecond.toFixed(0)} signatures/s (${(1000 / signatures.perSecond).toFixed(3)} ms each), ${ROUNDS} × ${SLICE} s interleaved; CPU per consultation: daemon ${micros(consultRun.cpuMicrosEach.daemon)}, simulator ${micros(consultRun.cpuMicrosEach.simulator)}, load generator ${micros(consultRun.cpuMicrosEach.load)}`,
  });

  // --- 3. added latency: MyCareNet answering in 50 ms, 20 clients -------------------------
  progress("simulator latency 50 ms, 20 clients");
  await setFaults({ all: { latencyMs: 50 } });
  const latencyRun = await load({
    url: daemonA.url,
    ...consultation(online),
    connections: 20,
    duration: DURATION,
    warmup: WARMUP,
  });
  // One client at a time: the latency the daemon adds when it is not queueing.
  const latencySerial = await load({
    url: daemonA.url,
    ...consultation(online),
    connections: 1,
    duration: Math.min(DURATION, 5),
  });
  await setFaults(undefined);
  results.runs.latency50 = latencyRun;
  results.runs.latency50OneClient = latencySerial;
  figure({
    id: "3-p50",
    label: "consultation p50 with MyCareNet at 50 ms, 20 clients",
    value: latencyRun.latencyMs.p50,
    target: 52,
    compare: atMost,
    unit: "ms",
    detail: `${latencyRun.perSecond.toFixed(0)} consultations/s; statuses ${JSON.stringify(latencyRun.statuses)}; one client: p50 ${latencySerial.latencyMs.p50.toFixed(1)} ms, p99 ${latencySerial.latencyMs.p99.toFixed(1)} ms`,
  });
  figure({
    id: "3-p99",
    label: "consultation p99 with MyCareNet at 50 ms, 20 clients",
    value: latencyRun.latencyMs.p99,
    target: 60,
    compare: atMost,
    unit: "ms",
    detail: `max ${latencyRun.latencyMs.max.toFixed(1)} ms`,
  });

  // --- 5. resident memory after CONSULTATIONS consultations, cache off -----------------------
  const answered = (...runs) => runs.reduce((n, r) => n + r.responses + r.warmupResponses, 0);
  const remaining = CONSULTATIONS - answered(consultRun, latencyRun, latencySerial);
  progress(`${remaining} more consultations on daemon A (to ${CONSULTATIONS})`);
  const fill =
    remaining > 0
      ? await load({ url: daemonA.url, ...consultation(online), connections: 10, amount: remaining })
      : null;
  const memoryA = {
    consultations: answered(consultRun, latencyRun, latencySerial, ...(fill ? [fill] : [])),
    ...memoryOf(daemonA.pid),
  };
  results.runs.memoryA = { ...memoryA, fill };

  // --- 6. fallback burst: MyCareNet down, circuit open ------------------------------------
  progress("fallback burst");
  await setFaults({ all: { kind: "down" } });
  let health;
  for (let i = 0; i < 20; i++) {
    await api(daemonA.url, "POST", "/v1/consultations", {
      token: tokens.dispensing,
      body: { patient: { niss: people[i] }, reference: `open-${i}` },
    });
    health = await api(daemonA.url, "GET", "/v1/health", { token: tokens.dispensing });
    if (health.json?.status === "degraded") break;
  }
  if (health?.json?.status !== "degraded") throw new Error("the circuit did not open");
  const burst = await load({ url: daemonA.url, ...consultation(online), connections: 10, amount: 1000 });
  const burstSerial = await load({ url: daemonA.url, ...consultation(online), connections: 1, amount: 1000 });
  await setFaults(undefined);
  results.runs.fallbackBurst = { connections10: burst, connections1: burstSerial };
  figure({
    id: "6-fallback",
    label: "fallback burst p99: 1 000 consultations, MyCareNet down, circuit open, 10 connections",
    value: burst.latencyMs.p99,
    target: 5,
    compare: atMost,
    unit: "ms",
    detail: `p50 ${burst.latencyMs.p50.toFixed(2)} ms, ${burst.perSecond.toFixed(0)}/s; one connection: p50 ${burstSerial.latencyMs.p50.toFixed(2)} ms, p99 ${burstSerial.latencyMs.p99.toFixed(2)} ms; statuses ${JSON.stringify(burst.statuses)}`,
  });
  await finish(daemonA);

  // --- the consultation path profiled (a separate daemon and simulator under --cpu-prof) ----
  progress("CPU profile of the consultation path");
  const profDir = join(dir, "profiles");
  mkdirSync(profDir, { recursive: true });
  const prof = (name) => ["--cpu-prof", `--cpu-prof-dir=${profDir}`, `--cpu-prof-name=${name}.cpuprofile`];
  const simP = track(
    await startSimulator({
      dist,
      dataDir: join(dir, "sim"),
      logFile: join(dir, "simulator-p.log"),
      nodeArgs: prof("simulator"),
    }),
  );
  const daemonP = track(
    await startDaemon({
      dist,
      env: daemonEnv(simP, join(dir, "daemon-p"), { MCN_CACHE_TTL_MS: "0" }),
      logFile: join(dir, "daemon-p.log"),
      nodeArgs: prof("daemon"),
    }),
  );
  await openSession(daemonP);
  await load({ url: daemonP.url, ...consultation(online), connections: 10, duration: WARMUP || 1 });
  const from = Number(process.hrtime.bigint() / 1000n);
  const profiled = await load({
    url: daemonP.url,
    ...consultation(online),
    connections: 10,
    duration: DURATION,
  });
  const to = Number(process.hrtime.bigint() / 1000n);
  await finish(daemonP);
  await finish(simP);
  results.profile = {
    consultationsPerSecondUnderProfiler: profiled.perSecond,
    consultations: profiled.responses,
    daemon: attribute(join(profDir, "daemon.cpuprofile"), DAEMON_RULES, distUrl, { from, to }),
    simulator: attribute(join(profDir, "simulator.cpuprofile"), SIMULATOR_RULES, distUrl, { from, to }),
  };

  // --- 4. cache hits and stored-commitment lookups, 1 000 000 commitments --------------------
  progress(`seeding ${COMMITMENTS} commitments`);
  const dataB = join(dir, "daemon-b");
  mkdirSync(dataB, { recursive: true, mode: 0o700 });
  writeFileSync(join(dataB, "audit.key"), `${BENCH_AUDIT_KEY.toString("hex")}\n`, { mode: 0o600 });
  const storeFile = join(dataB, "mcn-rights.sqlite");
  const seeding = await seedCommitments({ dist, file: storeFile, count: COMMITMENTS });
  progress("store, in process");
  mkdirSync(join(dir, "store"), { recursive: true });
  results.store = await storeBench({
    dist,
    dir: join(dir, "store"),
    commitments: COMMITMENTS,
    seeded: storeFile,
  });
  results.store.findCommitment.load = seeding;

  progress("start to ready, daemon B (cache on), 1 000 000 commitments");
  const startsB = [];
  let daemonB;
  for (let i = 0; i < STARTS; i++) {
    daemonB = track(
      await startDaemon({ dist, env: daemonEnv(sim, dataB), logFile: join(dir, `daemon-b-${i}.log`) }),
    );
    startsB.push({ wallMs: daemonB.wallMs, readyMs: daemonB.readyMs, rssMb: memoryOf(daemonB.pid).rssMb });
    if (i < STARTS - 1) await finish(daemonB);
  }
  results.runs.startB = startsB;
  await openSession(daemonB);

  progress("cache hits and commitment lookups");
  const cached = people.slice(0, 200);
  for (const [i, niss] of cached.entries()) {
    const r = await api(daemonB.url, "POST", "/v1/consultations", {
      token: tokens.dispensing,
      body: { patient: { niss }, reference: `warm-${i}` },
    });
    if (r.status !== 201) throw new Error(`warming the cache: ${r.status} ${JSON.stringify(r.json)}`);
  }
  const lookups = coveredQuestions({ count: COMMITMENTS, n: 100_000, seed: 5 });
  let lookup = 0;
  const onB = { server: daemonB.pid, load: "self" };
  const reads = {
    ceiling: { url: bare.url, path: "/constant", cpu: { server: bare.pid, load: "self" } },
    hits: { url: daemonB.url, ...consultation((i) => ({ niss: cached[i % cached.length] })), cpu: onB },
    lookups: {
      url: daemonB.url,
      cpu: onB,
      path: "/v1/commitments",
      headers: auth,
      setupRequest: (req) => {
        const q = lookups[lookup++ % lookups.length];
        return { ...req, path: `/v1/commitments?niss=${q.niss}&date=${q.date}` };
      },
    },
  };
  const readRounds = await interleave(reads, { rounds: ROUNDS, slice: SLICE, warmup: WARMUP });
  results.runs.reads = readRounds;
  const readCeiling = readRounds.ceiling.perSecond;
  for (const name of ["hits", "lookups"]) {
    const run = readRounds[name];
    const what =
      name === "hits"
        ? "cache hits (POST /v1/consultations)"
        : "stored-commitment lookups (GET /v1/commitments)";
    figure({
      id: `4-${name}-ratio`,
      label: `${what} ÷ framework ceiling`,
      value: run.perSecond / readCeiling,
      target: 0.7,
      compare: atLeast,
      unit: "ratio",
      detail: `${run.perSecond.toFixed(0)} vs ${readCeiling.toFixed(0)} req/s (10 connections, ${ROUNDS} × ${SLICE} s interleaved); CPU per request: daemon ${micros(run.cpuMicrosEach.server)}, bare fastify ${micros(readRounds.ceiling.cpuMicrosEach.server)}; statuses ${JSON.stringify(run.statuses)}`,
    });
    figure({
      id: `4-${name}-p99`,
      label: `${what} p99, 10 connections`,
      value: run.latencyMs.p99,
      target: 2,
      compare: atMost,
      unit: "ms",
      detail: `p50 ${run.latencyMs.p50.toFixed(3)} ms, max ${run.latencyMs.max.toFixed(1)} ms`,
    });
  }
  // The same p99 with one client at a time: the service time, without the queue of 10.
  const serial = {
    hits: await load({ ...reads.hits, connections: 1, duration: Math.min(DURATION, 5) }),
    lookups: await load({ ...reads.lookups, connections: 1, duration: Math.min(DURATION, 5) }),
  };
  results.runs.readsOneConnection = serial;

  // --- 5. resident memory after CONSULTATIONS consultations, cache on ---------------------
  // Enough distinct questions to fill the cache (10 000 entries: 1 000 patients × 10 days).
  const before = reference;
  const today = stats.today;
  const days = Array.from({ length: 10 }, (_, k) => {
    const d = new Date(`${today}T12:00:00Z`);
    d.setUTCDate(d.getUTCDate() - k);
    return d.toISOString().slice(0, 10);
  });
  const spread = (i) => {
    const j = i - before;
    return { niss: people[j % 1000], date: days[Math.floor(j / 1000) % days.length] };
  };
  const doneB = answered(readRounds.hits, serial.hits) + cached.length;
  // At least the 10 000 distinct questions that fill the cache, whatever the hits already made.
  const fillAmount = Math.max(days.length * 1000, CONSULTATIONS - doneB);
  progress(`${fillAmount} more consultations on daemon B (cache on), ${days.length * 1000} of them distinct`);
  const fillB = await load({
    url: daemonB.url,
    ...consultation(spread),
    connections: 10,
    amount: fillAmount,
  });
  const memoryB = { consultations: doneB + answered(fillB), ...memoryOf(daemonB.pid) };
  results.runs.memoryB = { ...memoryB, fill: fillB };
  await finish(daemonB);
  await finish(bare);
  await finish(sim);

  figure({
    id: "5-rss-cache-off",
    label: `resident memory after ${memoryA.consultations.toLocaleString("en")} consultations, cache off (daemon A)`,
    value: memoryA.rssMb,
    target: 200,
    compare: atMost,
    unit: "MB",
    detail: `peak ${memoryA.peakRssMb?.toFixed(0)} MB; ${startsA.at(-1).rssMb?.toFixed(0)} MB when ready`,
  });
  figure({
    id: "5-rss-cache-on",
    label: `resident memory after ${memoryB.consultations.toLocaleString("en")} consultations, cache on and full (daemon B, ${COMMITMENTS.toLocaleString("en")} commitments)`,
    value: memoryB.rssMb,
    target: 200,
    compare: atMost,
    unit: "MB",
    detail: `peak ${memoryB.peakRssMb?.toFixed(0)} MB; ${startsB.at(-1).rssMb?.toFixed(0)} MB when ready`,
  });
  for (const [id, starts, what] of [
    ["5-ready-fresh", startsA, "fresh store"],
    ["5-ready-1m", startsB, "1 000 000 commitments"],
  ]) {
    figure({
      id,
      label: `start to ready, keystores loaded, ${what} (slowest of ${STARTS})`,
      value: Math.max(...starts.map((s) => s.wallMs)),
      target: 1000,
      compare: atMost,
      unit: "ms",
      detail: `spawn to "ready" line: ${starts.map((s) => s.wallMs.toFixed(0)).join(", ")} ms (median ${median(starts.map((s) => s.wallMs)).toFixed(0)}); readyMs logged by the daemon: ${starts.map((s) => s.readyMs).join(", ")} ms`,
    });
  }

  results.machine.loadAverageAtEnd = loadavg();
  results.figures.sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));
  for (const f of results.figures) delete f.compare;
  return results;
}

try {
  const results = await main();
  const resultsDir = fileURLToPath(new URL("./results/", import.meta.url));
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  await writeReport(fileURLToPath(new URL("./README.md", import.meta.url)), results);
  for (const f of results.figures) {
    progress(
      `${f.met ? "met " : "MISS"} ${f.id}: ${typeof f.value === "number" ? f.value.toFixed(3) : f.value} (target ${f.target} ${f.unit})`,
    );
  }
  progress(
    `written bench/results/latest.json and bench/README.md${process.env.BENCH_KEEP ? `; run directory ${dir}` : ""}`,
  );
} catch (error) {
  progress(`failed: ${error instanceof Error ? error.stack : String(error)} (logs in ${dir})`);
  process.exitCode = 1;
} finally {
  for (const proc of running) await stop(proc);
  if (!process.env.BENCH_KEEP && process.exitCode !== 1) rmSync(dir, { recursive: true, force: true });
}
