// Reads a V8 .cpuprofile (node --cpu-prof) and splits the busy time into named shares. Each
// sample is charged to the first rule, in priority order, that matches its call stack (the
// sampled function and all its callers), so that a library used on several paths (xmldom,
// hashing) is charged to the step that called it.
import { readFileSync } from "node:fs";

/** Frames of a stack, innermost first: {fn, url, rel} where rel is the path inside dist/. */
function framesOf(profile, distUrl) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stacks = new Map();
  const stackOf = (id) => {
    let stack = stacks.get(id);
    if (stack) return stack;
    const { functionName: fn, url } = byId.get(id).callFrame;
    const frame = { fn, url, rel: url.startsWith(distUrl) ? url.slice(distUrl.length) : undefined };
    const up = parent.get(id);
    stack = up === undefined ? [frame] : [frame, ...stackOf(up)];
    stacks.set(id, stack);
    return stack;
  };
  return { byId, stackOf };
}

/**
 * @param file     the .cpuprofile
 * @param rules    [{name, test(stack) → boolean}] in priority order; unmatched samples are "other"
 * @param distUrl  file:// URL of the dist/ directory, ending with "/"
 * @param window   from and to, in microseconds of the monotonic clock (process.hrtime, which V8's
 *                 sample timestamps share): only the samples of the measured load count
 */
export function attribute(file, rules, distUrl, window = { from: 0, to: Infinity }) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const { byId, stackOf } = framesOf(profile, distUrl);
  const category = new Map();
  const categoryOf = (id) => {
    let c = category.get(id);
    if (c !== undefined) return c;
    const stack = stackOf(id);
    const fn = stack[0].fn;
    if (fn === "(idle)") c = "idle";
    else if (fn === "(garbage collector)") c = "garbage collection";
    else c = rules.find((r) => r.test(stack))?.name ?? "other";
    category.set(id, c);
    return c;
  };
  const totals = new Map();
  const selfByFunction = new Map();
  const { samples, timeDeltas } = profile;
  let at = profile.startTime;
  let windowUs = 0;
  for (let i = 0; i < samples.length; i++) {
    at += timeDeltas[i];
    if (at < window.from || at > window.to) continue;
    const us = timeDeltas[i + 1] ?? timeDeltas[i] ?? 0;
    windowUs += us;
    const ms = us / 1000;
    const c = categoryOf(samples[i]);
    totals.set(c, (totals.get(c) ?? 0) + ms);
    if (c === "idle") continue;
    const { functionName, url } = byId.get(samples[i]).callFrame;
    const key = `${functionName || "(anonymous)"} ${url.replace(/^.*\/(node_modules|dist)\//, "$1/")}`;
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + ms);
  }
  const idle = totals.get("idle") ?? 0;
  totals.delete("idle");
  const busy = [...totals.values()].reduce((a, b) => a + b, 0);
  return {
    wallMs: windowUs / 1000,
    busyMs: busy,
    idleMs: idle,
    shares: [...totals.entries()]
      .map(([name, ms]) => ({ name, ms, share: ms / busy }))
      .sort((a, b) => b.ms - a.ms),
    topFunctions: [...selfByFunction.entries()]
      .map(([name, ms]) => ({ name, ms, share: ms / busy }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 12),
  };
}

const has = (stack, test) => stack.some(test);
const rel = (prefix) => (f) => f.rel?.startsWith(prefix) ?? false;
const url = (part) => (f) => f.url.includes(part);

/** The consultation path in the daemon: the steps of the issue, then what surrounds them. */
export const DAEMON_RULES = [
  { name: "store", test: (s) => has(s, rel("store/")) },
  {
    name: "c14n",
    test: (s) =>
      has(s, url("xml-crypto/lib/exclusive-canonicalization")) ||
      has(s, rel("ehealth/wssec/own-c14n.js")) ||
      (has(s, (f) => f.fn === "signWithSamlKeyId") && has(s, rel("ehealth/xml/parse.js"))),
  },
  {
    name: "digest",
    test: (s) =>
      has(s, rel("ehealth/wssec/exclusive-signature.js")) && has(s, url("node:internal/crypto/hash")),
  },
  { name: "sign", test: (s) => has(s, url("node:internal/crypto/sig")) || has(s, rel("ehealth/keys/")) },
  {
    name: "build",
    test: (s) =>
      has(s, rel("ehealth/insurability/request.js")) ||
      has(s, rel("ehealth/wssec/")) ||
      has(s, rel("consultation/reference.js")),
  },
  {
    name: "parse",
    test: (s) =>
      has(s, rel("ehealth/insurability/")) || has(s, rel("ehealth/xml/")) || has(s, url("@xmldom/xmldom")),
  },
  {
    name: "send",
    test: (s) =>
      has(s, rel("ehealth/transport/")) ||
      has(s, url("node:_http_client")) ||
      has(s, url("node:_http_agent")),
  },
  {
    name: "log",
    test: (s) => has(s, url("/node_modules/pino")) || has(s, url("sonic-boom")) || has(s, rel("log.js")),
  },
  {
    name: "consultation logic",
    test: (s) =>
      has(s, rel("services/")) ||
      has(s, rel("consultation/")) ||
      has(s, rel("cache/")) ||
      has(s, rel("commitment/")) ||
      has(s, rel("fallback/")) ||
      has(s, rel("identifiers/")) ||
      has(s, url("date-fns")),
  },
  {
    name: "http (fastify, node:http server)",
    test: (s) =>
      has(s, url("/node_modules/fastify")) ||
      has(s, url("find-my-way")) ||
      has(s, url("fast-json-stringify")) ||
      has(s, url("/node_modules/ajv")) ||
      has(s, url("/node_modules/@fastify")) ||
      has(s, url("secure-json-parse")) ||
      has(s, rel("http/")) ||
      has(s, url("node:_http_server")),
  },
];

/** The simulated MyCareNet answering one consultation. */
export const SIMULATOR_RULES = [
  { name: "verify: exclusive c14n", test: (s) => has(s, url("xml-crypto/lib/exclusive-canonicalization")) },
  {
    name: "verify: RSA and certificate",
    test: (s) => has(s, url("node:internal/crypto/sig")) || has(s, url("node:internal/crypto/x509")),
  },
  {
    name: "assertion cache key",
    test: (s) => has(s, rel("simulator/session.js")) && !has(s, rel("ehealth/wssec/")),
  },
  { name: "parse request (xmldom)", test: (s) => has(s, rel("ehealth/xml/parse.js")) },
  { name: "verify: checks", test: (s) => has(s, rel("ehealth/wssec/")) || has(s, rel("ehealth/sts/")) },
  {
    name: "answer",
    test: (s) =>
      has(s, rel("ehealth/insurability/")) ||
      has(s, rel("simulator/insurers.js")) ||
      has(s, rel("simulator/payment-approval.js")) ||
      has(s, rel("simulator/population.js")) ||
      has(s, rel("commitment/")),
  },
  { name: "request payload (serialise)", test: (s) => has(s, url("@xmldom/xmldom")) },
  { name: "http (node:http server)", test: (s) => has(s, url("node:_http")) || has(s, rel("simulator/")) },
];
