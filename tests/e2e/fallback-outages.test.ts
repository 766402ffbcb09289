// Every kind of outage (SPEC §1.4: network, answer too slow, insurer silent, eHealth system
// error) gives the dispensing software a decision within MCN_TIMEOUT_MS + 200 ms, never a 5xx,
// with the outage named in `fallback.reason`; a business answer is not an outage. The elapsed
// time is measured around the HTTP call: a functional bound of the contract, not a benchmark.
// The main stack runs at the default circuit threshold and MyCareNet answers between rows, so each
// kind really goes over the wire; a second daemon, whose insurability URL points at a loopback server of this file, adds
// the TLS failure, the refused connection and the open circuit.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadPrincipals, startDaemon, type Daemon } from "../../src/daemon.js";
import { createLogger } from "../../src/log.js";
import { SCENARIO_NISS, type FaultPlan } from "../../src/simulator/index.js";
import { startStack, type Stack } from "../support/stack.js";

const TIMEOUT_MS = 500;
const BOUND_MS = TIMEOUT_MS + 200;
let stack: Stack;
let counter = 0;
// The kind is only the label of the call, for a failure's message.
async function ask(url: string, kind: string, niss: string) {
  const started = performance.now();
  const res = await fetch(`${url}/v1/consultations`, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.tokens.dispensing}`, "content-type": "application/json" },
    body: JSON.stringify({ patient: { niss }, reference: `outage-${++counter}` }),
  });
  const json = (await res.json()) as { outcome: string; fallback: { reason: string } | null };
  return { kind, status: res.status, ms: performance.now() - started, json };
}

const plan = async (p: FaultPlan) => {
  stack.demo.simulator.faults.set(p);
  await stack.demo.simulator.settled();
};

beforeAll(async () => {
  stack = await startStack({
    env: {
      // The default circuit threshold (issue 13); the probe's interval kept long so that no
      // background recall interleaves with the rows.
      MCN_TIMEOUT_MS: String(TIMEOUT_MS),
      MCN_PROBE_MS: "600000",
      MCN_CACHE_TTL_MS: "1",
      MCN_GUARD_PATIENT_PER_DAY: "1000",
      MCN_GUARD_UNCONFIRMED_PATIENTS: "100000",
    },
  });
  // Known to the pharmacy, with a commitment: an outage then ends in reused-commitment.
  expect((await ask(stack.daemon.url, "online", SCENARIO_NISS.ordinary)).json.outcome).toBe("online");
});
afterAll(() => stack.stop());

// The patient of union 100 (mutuality 121), and one of union 300 (311) that another insurer serves.
const union100 = SCENARIO_NISS.ordinary;
const union300 = SCENARIO_NISS.preferential;

const cases: Array<[string, FaultPlan, string]> = [
  ["down: the platform is gone (connection refused)", { all: { kind: "down" } }, "connect-refused"],
  ["reset in the middle of the answer", { all: { kind: "reset" } }, "reset"],
  ["slow: no answer at all", { all: { kind: "slow" } }, "timeout"],
  ["slow beyond the timeout (answers after 2 s)", { all: { latencyMs: 2000 } }, "timeout"],
  ["eHealth SystemError SOA-02001", { all: { kind: "system-error" } }, "system-error"],
  ["eHealth SystemError SOA-02002", { all: { kind: "system-error", code: "SOA-02002" } }, "system-error"],
  ["expired token (SystemError SOA-01001)", { all: { kind: "expired-token" } }, "system-error"],
  ["malformed answer (truncated envelope)", { all: { kind: "malformed" } }, "malformed"],
  ["HTTP 503 page instead of SOAP", { all: { kind: "unavailable" } }, "http-status"],
  ["every insurer silent (return code 09/01)", { all: { kind: "insurer-silent" } }, "insurer-silent"],
  ["one insurer silent", { insurers: { "100": { kind: "insurer-silent" } } }, "insurer-silent"],
  ["one insurer down (socket closed, no byte)", { insurers: { "100": { kind: "down" } } }, "reset"],
  ["one insurer slow", { insurers: { "100": { kind: "slow" } } }, "timeout"],
  ["one insurer resets", { insurers: { "100": { kind: "reset" } } }, "reset"],
  ["one insurer SystemError", { insurers: { "100": { kind: "system-error" } } }, "system-error"],
  ["one insurer malformed", { insurers: { "100": { kind: "malformed" } } }, "malformed"],
  ["one insurer HTTP 503", { insurers: { "100": { kind: "unavailable" } } }, "http-status"],
];

describe("each outage kind, over the wire", () => {
  // MyCareNet answers again between rows, as at a counter: each row starts with its circuits closed.
  afterEach(async () => {
    await plan({});
    expect((await ask(stack.daemon.url, "between rows", union100)).json.outcome).toBe("online");
  });

  it.each(cases)("%s (%j) → %s, in time, never a 5xx", async (kind, faults, reason) => {
    await plan(faults);
    const res = await ask(stack.daemon.url, kind, union100);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ outcome: "reused-commitment", fallback: { reason } });
    expect(res.ms).toBeLessThan(BOUND_MS);
    if (faults.insurers) {
      // The other insurers keep answering.
      const other = await ask(stack.daemon.url, `${kind} (other insurer)`, union300);
      expect([other.status, other.json.outcome]).toEqual([201, "online"]);
    }
  });

  it("intermittent: some answers online, the others from the fallback, all in time", async () => {
    await plan({
      all: { kind: "system-error", rate: 0.5, seed: 7 },
      insurers: { "100": { kind: "slow", rate: 0.3, seed: 3 } },
    });
    const outcomes = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const res = await ask(stack.daemon.url, "intermittent", union100);
      expect(res.status).toBeLessThan(500);
      expect(res.ms).toBeLessThan(BOUND_MS);
      outcomes.add(`${res.json.outcome}:${res.json.fallback?.reason ?? ""}`);
    }
    expect([...outcomes].sort()).toEqual([
      "online:",
      "reused-commitment:system-error",
      "reused-commitment:timeout",
    ]);
  });

  it("a business answer is not an outage: no right, unknown patient", async () => {
    await plan({});
    const noRight = await ask(stack.daemon.url, "business: no right", SCENARIO_NISS.noRight);
    expect(noRight.json).toMatchObject({ outcome: "online", insured: false, fallback: null });
    const unknown = await ask(stack.daemon.url, "business: unknown patient", SCENARIO_NISS.unknown);
    expect(unknown.json).toMatchObject({ outcome: "online", insured: false, fallback: null });
    expect(stack.daemon.circuit.snapshot().consecutiveOutages).toBe(0);
  });

  it("syncs the store's WAL itself, at most once per commit, and says so on /metrics", async () => {
    const metrics = (await stack.request("GET", "/metrics", { token: null })).body as string;
    const read = (name: string): number => Number(new RegExp(`^${name} (\\d+)$`, "m").exec(metrics)?.[1]);
    const writes = read("mcn_store_writes_total");
    const commits = read("mcn_store_commits_total");
    const syncs = read("mcn_store_syncs_total");
    expect(syncs).toBeGreaterThan(0);
    expect(syncs).toBeLessThanOrEqual(commits);
    expect(commits).toBeLessThanOrEqual(writes);
  });

  it("counts the outages by kind", async () => {
    const metrics = (await stack.request("GET", "/metrics", { token: null })).body as string;
    for (const kind of [
      "connect-refused",
      "reset",
      "timeout",
      "system-error",
      "malformed",
      "http-status",
      "insurer-silent",
    ]) {
      expect(metrics).toMatch(new RegExp(`mcn_outages_total\\{kind="${kind}"\\} [1-9]`));
    }
  });
});

describe("TLS failure, refused connection, open circuit (a second daemon)", () => {
  let daemon: Daemon;
  let dataDir: string;
  let server: Server;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    await plan({});
    // Speaks plain text to a client that expects TLS: the handshake fails.
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => undefined);
      socket.end("HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    dataDir = mkdtempSync(join(tmpdir(), "mcn-outage-"));
    daemon = await startDaemon(
      {
        ...stack.config,
        dataDir,
        listen: { host: "127.0.0.1", port: 0 },
        insurabilityUrl: `https://127.0.0.1:${port}/Insurability/v2`,
        circuitThreshold: 3,
      },
      {
        logger: createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) }),
        principals: loadPrincipals(stack.config.tokensFile),
        defaultMetrics: false,
      },
    );
    await daemon.sessions.open({ method: "personal-certificate" }, "test");
  });
  afterAll(async () => {
    await daemon.close();
    for (const s of sockets) s.destroy();
    server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("a TLS handshake that fails is an outage", async () => {
    const res = await ask(daemon.url, "TLS handshake fails", union100);
    expect(res.status).toBe(201);
    // This daemon never consulted the patient: node 6 is asked.
    expect(res.json).toMatchObject({
      outcome: "needs-pharmacist",
      fallback: { reason: "tls", path: [1, 2, 3, 6] },
    });
    expect(res.ms).toBeLessThan(BOUND_MS);
  });

  it("nothing listening (connection refused) is an outage", async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const res = await ask(daemon.url, "refused: nothing listens", union100);
    expect(res.json.fallback?.reason).toBe("connect-refused");
    expect(res.ms).toBeLessThan(BOUND_MS);
  });

  it("after three outages in a row the circuit opens: the fallback answers at once", async () => {
    await ask(daemon.url, "refused: nothing listens", union300);
    expect(daemon.circuit.isOpen).toBe(true);
    const res = await ask(daemon.url, "circuit open", union300);
    expect(res.json.fallback?.reason).toBe("circuit-open");
    expect(res.status).toBe(201);
    expect(res.ms).toBeLessThan(BOUND_MS);
    const health = (await (await fetch(`${daemon.url}/v1/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({
      status: "degraded",
      mycarenet: { state: "unreachable", circuit: { state: "open", lastOutageKind: "connect-refused" } },
    });
  });
});
