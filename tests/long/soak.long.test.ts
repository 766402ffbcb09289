// Soak (reliability suite, item 6, long): ten minutes (MCN_SOAK_SECONDS) of mixed traffic at a
// steady rate against the daemon as its own process, while MyCareNet's faults change every
// half minute (intermittent system errors, down, an insurer silent, slow answers, timeouts).
// Every answer must be one the contract expects for that request at such a time — a fallback
// outcome is expected, a 5xx or an unexpected code is an error — and the daemon's resident
// memory at the end must be within 10 % of what it was once warmed up.
import { appendFileSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brusselsDay } from "../../src/commitment/index.js";
import { DEFAULTS } from "../../src/config/index.js";
import { DEFAULT_INSURABILITY_REJECTION_CODES } from "../../src/purpose/index.js";
import { DEMO_PRICING_OFFICE_BCE } from "../../src/demo/tokens.js";
import { createPopulation, SCENARIO_NISS, type FaultPlan } from "../../src/simulator/index.js";
import {
  startLongRun,
  rssOf,
  setFaults,
  startDaemonProcess,
  stopProcess,
  type ApiTokens,
  type DaemonProc,
  type SimulatorProc,
} from "../support/processes.js";

const SECONDS = Number(process.env["MCN_SOAK_SECONDS"] ?? 600);
const RATE = Number(process.env["MCN_SOAK_RATE"] ?? 25); // requests per second
const WARM_UP_S = Math.min(60, SECONDS / 5);
const CACHE_TTL_S = DEFAULTS.cacheTtlMs / 1000;
const FAULT_PERIOD_S = Math.min(30, SECONDS / 6);
const today = brusselsDay(new Date());
const people = createPopulation(1, today).people.filter((p) => p.niss !== undefined);

const FAULTS: Array<[string, FaultPlan]> = [
  ["none", {}],
  ["intermittent system errors (20 %)", { all: { kind: "system-error", rate: 0.2, seed: 3 } }],
  ["none", {}],
  ["down", { all: { kind: "down" } }],
  ["none", {}],
  ["insurer 100 silent", { insurers: { "100": { kind: "insurer-silent" } } }],
  ["slow answers (300 ms)", { all: { latencyMs: 300 } }],
  ["timeouts (10 %)", { all: { kind: "slow", rate: 0.1, seed: 4 } }],
  ["none", {}],
  [
    "malformed (15 %) and insurer 300 resets",
    { all: { kind: "malformed", rate: 0.15, seed: 6 }, insurers: { "300": { kind: "reset" } } },
  ],
];

let dir: string;
let simulator: SimulatorProc;
let daemon: DaemonProc;
let tokens: ApiTokens;
const errors: string[] = [];
const statuses: Record<string, number> = {};
const memory: Array<{ at: number; rss: number }> = [];
/** MCN_SOAK_TRACE=<file>: one line per sample (fault, RSS, malloc heap, V8 heap) to find a leak. */
const TRACE = process.env["MCN_SOAK_TRACE"];

function smapsOf(pid: number): { heapKb: number; anonKb: number } {
  let heapKb = 0;
  let anonKb = 0;
  let inHeap = false;
  for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(line)) inHeap = line.endsWith("[heap]");
    const rss = /^Rss:\s+(\d+)/.exec(line);
    if (rss && inHeap) heapKb += Number(rss[1]);
    const anon = /^Anonymous:\s+(\d+)/.exec(line);
    if (anon) anonKb += Number(anon[1]);
  }
  return { heapKb, anonKb };
}

async function trace(at: number, fault: string): Promise<void> {
  if (TRACE === undefined) return;
  const metrics = await (await fetch(`${daemon.url}/metrics`)).text();
  const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)`, "m").exec(metrics)?.[1] ?? NaN);
  const mb = (bytes: number) => Math.round(bytes / 104857.6) / 10;
  const { heapKb, anonKb } = smapsOf(daemon.pid);
  appendFileSync(
    TRACE,
    `${JSON.stringify({
      at: Math.round(at),
      fault,
      sent,
      rssMb: mb(rssOf(daemon.pid)),
      mallocHeapMb: mb(heapKb * 1024),
      anonMb: mb(anonKb * 1024),
      v8UsedMb: mb(metric("mcn_nodejs_heap_size_used_bytes")),
      v8TotalMb: mb(metric("mcn_nodejs_heap_size_total_bytes")),
      externalMb: mb(metric("mcn_nodejs_external_memory_bytes")),
    })}\n`,
  );
}
let sent = 0;

beforeAll(async () => {
  const run = await startLongRun("mcn-soak-", {
    MCN_TIMEOUT_MS: "1000",
    MCN_PROBE_MS: "2000",
    MCN_GUARD_PATIENT_PER_DAY: "1000",
    MCN_GUARD_UNCONFIRMED_PATIENTS: "100000",
    MCN_PRICING_OFFICE_MAX_USES: "100",
  });
  ({ dir, simulator, tokens } = run);
  daemon = await startDaemonProcess({ dist: run.dist, logFile: join(dir, "daemon.log"), env: run.env });
  // SPEC §1.6 (issue 16): the pricing office consults only under the titular pharmacist's mandate.
  const mandate = await fetch(`${daemon.url}/v1/mandates`, {
    method: "POST",
    headers: { authorization: `Bearer ${tokens.pharmacist}`, "content-type": "application/json" },
    body: JSON.stringify({
      mandatary: { kind: "company", id: DEMO_PRICING_OFFICE_BCE, name: "Office de tarification" },
      service: "insurability",
      validFrom: today,
      validUntil: today,
      reference: "MAND-SOAK",
    }),
  });
  if (mandate.status !== 201) throw new Error(`cannot record the mandate: ${mandate.status}`);
});

afterAll(async () => {
  if (daemon) await stopProcess(daemon);
  if (simulator) await stopProcess(simulator);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Check = (status: number, json: any) => boolean; // eslint-disable-line @typescript-eslint/no-explicit-any
const code = (json: { code?: string } | undefined) => json?.code;
const consulted: Check = (s, j) => (s === 201 || s === 200) && typeof j?.outcome === "string";

async function request(
  label: string,
  method: string,
  path: string,
  token: string | null,
  body: unknown,
  ok: Check,
) {
  sent++;
  try {
    const res = await fetch(`${daemon.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    const json = res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text;
    statuses[`${label} ${res.status}${code(json) ? ` ${code(json)}` : ""}`] =
      (statuses[`${label} ${res.status}${code(json) ? ` ${code(json)}` : ""}`] ?? 0) + 1;
    if (!ok(res.status, json)) errors.push(`${label}: ${res.status} ${text.slice(0, 200)}`);
    return json;
  } catch (error) {
    errors.push(`${label}: ${(error as Error).message}`);
    return undefined;
  }
}

const waiting: Array<{ id: string; node: number }> = [];
const delivered = new Set<string>();
const made: string[] = [];
let refs = 0;

/** One request of the mix (weights in parts of 100). */
async function one(n: number) {
  const r = n % 100;
  const person = people[(n * 7919) % people.length]!;
  if (r < 40) {
    const json = await request(
      "consultation",
      "POST",
      "/v1/consultations",
      tokens.dispensing,
      { patient: { niss: person.niss }, reference: `soak-${++refs}` },
      consulted,
    );
    if (json?.id) {
      made.push(json.id);
      if (json.outcome === "needs-pharmacist")
        waiting.push({ id: json.id, node: json.fallback.question.node });
    }
  } else if (r < 50) {
    // The same prescription group again: the cache (or the store) answers.
    await request(
      "consultation again",
      "POST",
      "/v1/consultations",
      tokens.dispensing,
      { patient: { niss: SCENARIO_NISS.ordinary }, reference: `soak-group-${Math.floor(n / 50)}` },
      consulted,
    );
  } else if (r < 58 && waiting.length > 0) {
    const { id, node } = waiting.shift()!;
    // A patient the pharmacy knows is asked node 5 first (trust the last known data?).
    await request(
      "fallback answers",
      "POST",
      `/v1/consultations/${id}/fallback-answers`,
      tokens.pharmacist,
      {
        answers: [
          ...(node === 5 ? [{ node: 5, answer: false }] : []),
          { node: 6, answer: false },
          { node: 7, answer: false },
        ],
      },
      (s, j) =>
        s === 200 ||
        (s === 409 && ["FALLBACK_NOT_PENDING", "FALLBACK_ALREADY_ANSWERED"].includes(code(j) ?? "")),
    );
  } else if (r < 64 && made.length > 0) {
    const id = made[n % made.length]!;
    if (delivered.has(id)) return;
    delivered.add(id);
    await request(
      "delivery",
      "POST",
      `/v1/consultations/${id}/delivery`,
      tokens.dispensing,
      {},
      (s) => s === 200,
    );
  } else if (r < 70 && made.length > 0) {
    await request(
      "read",
      "GET",
      `/v1/consultations/${made[n % made.length]}`,
      tokens.dispensing,
      undefined,
      (s) => s === 200,
    );
  } else if (r < 76) {
    await request(
      "commitment",
      "GET",
      `/v1/commitments?niss=${person.niss}&date=${today}`,
      tokens.dispensing,
      undefined,
      (s, j) => s === 200 || (s === 404 && code(j) === "COMMITMENT_NOT_FOUND"),
    );
  } else if (r < 82) {
    await request("niss", "GET", `/v1/niss/${person.niss}`, tokens.dispensing, undefined, (s) => s === 200);
  } else if (r < 86) {
    await request(
      "evaluate",
      "POST",
      "/v1/fallback/evaluate",
      tokens.dispensing,
      { networkAvailable: false, patientKnown: n % 2 === 0, commitmentCoversDate: false },
      (s) => s === 200,
    );
  } else if (r < 90) {
    await request("health", "GET", "/v1/health", null, undefined, (s) => s === 200);
  } else if (r < 92) {
    await request("metrics", "GET", "/metrics", null, undefined, (s) => s === 200);
  } else if (r < 94) {
    await request(
      "recalls",
      "GET",
      "/v1/recalls?status=pending&limit=50",
      tokens.pharmacist,
      undefined,
      (s) => s === 200,
    );
  } else if (r < 95) {
    await request("recall run", "POST", "/v1/recalls/run", tokens.pharmacist, undefined, (s) => s === 200);
  } else if (r < 97) {
    // Online only: unavailable while MyCareNet is not answering, refused for a delivery never made.
    await request(
      "pricing office",
      "POST",
      "/v1/pricing-office/consultations",
      tokens.pricingOffice,
      {
        rejection: {
          invoiceReference: `SOAK-${n}`,
          reasonCode: DEFAULT_INSURABILITY_REJECTION_CODES[0],
          rejectedOn: today,
        },
        patient: { niss: person.niss },
        deliveryDate: today,
      },
      (s, j) =>
        s === 200 ||
        (s === 403 && code(j) === "PURPOSE_NOT_ALLOWED") ||
        (s === 503 && code(j) === "PRICING_OFFICE_UNAVAILABLE"),
    );
  } else {
    await request(
      "purpose report",
      "GET",
      `/v1/reports/purpose?month=${today.slice(0, 7)}`,
      tokens.pharmacist,
      undefined,
      (s) => s === 200,
    );
  }
}

describe("soak", () => {
  it(`${SECONDS} s of mixed traffic at ${RATE}/s with faults toggling: no error, memory steady`, async () => {
    expect(
      await request(
        "session",
        "POST",
        "/v1/sessions",
        tokens.pharmacist,
        { method: "personal-certificate" },
        (s) => s === 201,
      ),
    ).toBeDefined();
    const started = Date.now();
    const inFlight = new Set<Promise<void>>();
    let n = 0;
    let faultIndex = -1;
    let nextSample = started;
    while (Date.now() - started < SECONDS * 1000) {
      const elapsed = (Date.now() - started) / 1000;
      const wantedFault = Math.floor(elapsed / FAULT_PERIOD_S) % FAULTS.length;
      if (wantedFault !== faultIndex) {
        faultIndex = wantedFault;
        await setFaults(simulator, FAULTS[faultIndex]![1]);
      }
      if (Date.now() >= nextSample) {
        memory.push({ at: elapsed, rss: rssOf(daemon.pid) });
        void trace(elapsed, FAULTS[faultIndex]![0]);
        nextSample += 5_000;
      }
      // Open loop: the next request leaves on time whether or not the last one answered.
      const due = started + (n * 1000) / RATE;
      if (Date.now() < due) await new Promise((r) => setTimeout(r, due - Date.now()));
      const p = one(n++).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
    await setFaults(simulator, {});

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    // Steady state: the consultation cache (MCN_CACHE_TTL_MS, 5 minutes by default) fills up to its
    // bound during its first TTL; growth is measured from then on, when the run is long enough.
    // SQLite's page cache fills as the file grows, up to its bound (PAGE_CACHE_KIB, 4 MiB).
    const steadyAt = SECONDS >= 2 * CACHE_TTL_S + WARM_UP_S ? CACHE_TTL_S : WARM_UP_S;
    const warm = median(
      memory.filter((m) => m.at >= steadyAt && m.at < steadyAt + WARM_UP_S).map((m) => m.rss),
    );
    const end = median(memory.filter((m) => m.at >= SECONDS - WARM_UP_S).map((m) => m.rss));
    const growth = end / warm - 1;
    const unexpected = daemon.lines().filter((l) => /"level":(50|60)/.test(l));
    console.info(
      `soak: ${JSON.stringify({
        seconds: SECONDS,
        requests: sent,
        errors: errors.length,
        warmRssMb: Math.round(warm / 1048576),
        endRssMb: Math.round(end / 1048576),
        growthPercent: Math.round(growth * 1000) / 10,
        errorLogLines: unexpected.length,
      })}\n${JSON.stringify(statuses, null, 1)}`,
    );
    expect(errors.slice(0, 20)).toEqual([]);
    expect(unexpected.slice(0, 5)).toEqual([]);
    expect(sent).toBeGreaterThan(SECONDS * RATE * 0.9);
    expect(growth).toBeLessThan(0.1);
  });
});
