// One load run with autocannon, in this process, against a server in another process. Every
// response's latency is kept (autocannon's histogram rounds to whole milliseconds), and the rate
// is completed responses over the measured wall time.
import autocannon from "autocannon";
import { summarize } from "./stats.js";

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
 */
export async function load(o) {
  const warmup = o.warmup ? await once({ ...o, amount: undefined, duration: o.warmup }) : undefined;
  return { ...(await once(o)), warmupResponses: warmup?.responses ?? 0 };
}

function once(o) {
  const latencies = [];
  const statuses = {};
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
        });
      },
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
}
