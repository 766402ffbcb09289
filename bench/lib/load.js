// One load run with autocannon, in this process, against a server in another process. Every
// response's latency is kept (autocannon's histogram rounds to whole milliseconds), and the rate
// is completed responses over the measured wall time.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import { summarize } from "./stats.js";

let ticksPerSecond;
/** CPU time (user + system, all threads) a process has used so far, in seconds; null off Linux. */
export function cpuSeconds(pid) {
  try {
    ticksPerSecond ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" })) || 100;
    // Fields after the command name (which is in parentheses and may hold spaces).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return null;
  }
}

const cpuNow = (pids) =>
  Object.fromEntries(
    Object.entries(pids ?? {}).map(([name, pid]) => [
      name,
      pid === "self" ? process.cpuUsage() : cpuSeconds(pid),
    ]),
  );
const cpuSince = (before, pids) =>
  Object.fromEntries(
    Object.entries(pids ?? {}).map(([name, pid]) => {
      if (pid === "self") {
        const u = process.cpuUsage(before[name]);
        return [name, (u.user + u.system) / 1e6];
      }
      const now = cpuSeconds(pid);
      return [name, now === null || before[name] === null ? null : now - before[name]];
    }),
  );
/**
 * @param {object} o
 * @param {string} o.url            base URL (http://127.0.0.1:port)
 * @param {string} o.path
 * @param {string} [o.method]
 * @param {Record<string,string>} [o.headers]
 * @param {string} [o.body]
 * @param {(req: object) => object} [o.setupRequest]  per-request rewrite (body, path)
 * @param {number} [o.connections]  default 10
 * @param {number} [o.duration]     seconds (ignored when amount is set)
 * @param {number} [o.amount]       exactly this many requests
 * @param {number} [o.warmup]       seconds of the same load first, not counted
 * @param {Record<string, number|string>} [o.cpu]  processes whose CPU time to measure over the run (a pid, or "self")
 */
export async function load(o) {
  const warmup = o.warmup ? await once({ ...o, amount: undefined, duration: o.warmup }) : undefined;
  return { ...(await once(o)), warmupResponses: warmup?.responses ?? 0 };
}

function once(o) {
  const latencies = [];
  const statuses = {};
  const cpuBefore = cpuNow(o.cpu);
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: o.url,
        connections: o.connections ?? 10,
        ...(o.amount ? { amount: o.amount } : { duration: o.duration ?? 10 }),
        timeout: 30,
        requests: [
          {
            method: o.method ?? "GET",
            path: o.path,
            headers: o.headers ?? {},
            ...(o.body !== undefined ? { body: o.body } : {}),
            ...(o.setupRequest ? { setupRequest: o.setupRequest } : {}),
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const ok = Object.entries(statuses)
          .filter(([code]) => code.startsWith("2"))
          .reduce((n, [, c]) => n + c, 0);
        resolve({
          connections: o.connections ?? 10,
          seconds,
          responses: latencies.length,
          ok,
          statuses,
          errors: result.errors,
          timeouts: result.timeouts,
          perSecond: latencies.length / seconds,
          latencyMs: summarize(latencies),
          cpuSeconds: cpuSince(cpuBefore, o.cpu),
          ...(o.keepLatencies ? { latencies } : {}),
        });
      },
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
}

/**
 * Interleaved runs for comparisons on a noisy machine: after a warm-up of each, every spec runs
 * `slice` seconds in turn, `rounds` times, so that whatever else the machine does falls on all of
 * them alike. A spec is a load() spec, or {run(seconds) → {count, seconds}} for work that is not
 * HTTP (the signature ceiling). Returns, per name, the totals over its slices.
 */
export async function interleave(specs, { rounds, slice, warmup }) {
  const runOnce = (spec, seconds) =>
    spec.run
      ? spec.run(seconds)
      : once({ ...spec, amount: undefined, duration: seconds, keepLatencies: true });
  const totals = {};
  for (const [name, spec] of Object.entries(specs)) {
    const w = warmup ? await runOnce(spec, warmup) : undefined;
    totals[name] = { slices: [], warmupResponses: w?.responses ?? w?.count ?? 0 };
  }
  for (let r = 0; r < rounds; r++) {
    for (const [name, spec] of Object.entries(specs)) totals[name].slices.push(await runOnce(spec, slice));
  }
  const out = {};
  for (const [name, { slices, warmupResponses }] of Object.entries(totals)) {
    const seconds = slices.reduce((a, s) => a + s.seconds, 0);
    if (specs[name].run) {
      const count = slices.reduce((a, s) => a + s.count, 0);
      const cpuMicros = slices.every((s) => s.cpuMicrosEach !== undefined)
        ? slices.reduce((a, s) => a + s.cpuMicrosEach * s.count, 0)
        : null;
      out[name] = {
        seconds,
        count,
        perSecond: count / seconds,
        cpuMicrosEach: cpuMicros === null ? null : cpuMicros / count,
        slicesPerSecond: slices.map((s) => s.count / s.seconds),
      };
      continue;
    }
    const statuses = {};
    for (const s of slices)
      for (const [code, n] of Object.entries(s.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
    const responses = slices.reduce((a, s) => a + s.responses, 0);
    out[name] = {
      connections: slices[0].connections,
      seconds,
      responses,
      warmupResponses,
      statuses,
      errors: slices.reduce((a, s) => a + s.errors, 0),
      timeouts: slices.reduce((a, s) => a + s.timeouts, 0),
      perSecond: responses / seconds,
      slicesPerSecond: slices.map((s) => s.perSecond),
      latencyMs: summarize(slices.flatMap((s) => s.latencies)),
      // CPU time each measured process used per response, in microseconds.
      cpuMicrosEach: Object.fromEntries(
        Object.keys(slices[0].cpuSeconds).map((name) => {
          const total = slices.reduce(
            (a, s) => (a === null || s.cpuSeconds[name] === null ? null : a + s.cpuSeconds[name]),
            0,
          );
          return [name, total === null ? null : (total * 1e6) / responses];
        }),
      ),
    };
  }
  return out;
}
