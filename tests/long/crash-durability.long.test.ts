// Crash durability (reliability suite, item 2, long): the daemon runs as its own process
// (`node dist/main.js`, acceptance mode, pointed at the simulator running as another process)
// under load from several clients — consultations, some of which fall back because a share of
// MyCareNet's answers are system errors, the pharmacist's fallback answers, delivery
// confirmations, pricing-office consultations — and is killed with SIGKILL at a random moment,
// again and again. After each restart, everything it acknowledged with a 2xx must be on disk:
// the consultation with its outcome, its commitment, the fallback answers, the delivery, and
// the audit entry of each; the audit chain must verify, and still extend every head seen before
// the crash (no entry lost at the end of the chain either).
import { rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brusselsDay } from "../../src/commitment/index.js";
import { DEFAULT_INSURABILITY_REJECTION_CODES } from "../../src/purpose/index.js";
import { createPopulation } from "../../src/simulator/index.js";
import { DATABASE_FILE } from "../../src/store/index.js";
import { DEMO_PRICING_OFFICE_BCE } from "../../src/demo/tokens.js";
import {
  startLongRun,
  kill9,
  setFaults,
  startDaemonProcess,
  stopProcess,
  type ApiTokens,
  type DaemonProc,
  type SimulatorProc,
} from "../support/processes.js";

const CYCLES = Number(process.env["MCN_CRASH_CYCLES"] ?? 25);
const CLIENTS = 6;
const today = brusselsDay(new Date());
const people = createPopulation(1, today).people.filter((p) => p.niss !== undefined);

// A deterministic pseudo-random sequence: a failing run can be replayed with MCN_CRASH_SEED.
let seed = Number(process.env["MCN_CRASH_SEED"] ?? 20261122);
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

interface Acknowledged {
  consultations: Map<string, { outcome: string; paymentApproval: string | null; question: number | null }>;
  answers: Map<string, { nodes: number[]; outcome: string }>;
  deliveries: Set<string>;
  pricingOfficeEntries: Set<number>;
}
const acked: Acknowledged = {
  consultations: new Map(),
  answers: new Map(),
  deliveries: new Set(),
  pricingOfficeEntries: new Set(),
};
const figures = {
  cycles: 0,
  requests: 0,
  acknowledged: 0,
  refusedOrCut: 0,
  lost: 0,
  auditEntries: 0,
  restartsMs: [] as number[],
  // The daemon's group commit (mcn_store_*_total), read just before each kill: writes per commit.
  storeWrites: 0,
  storeCommits: 0,
  // fdatasyncs of the WAL (wal-sync.ts): each acknowledged write waited for one begun after its commit.
  storeSyncs: 0,
};

async function noteStoreCommits(d: DaemonProc): Promise<void> {
  const text = await (await fetch(`${d.url}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\d+)`, "m").exec(text)?.[1] ?? 0);
  figures.storeWrites += read("mcn_store_writes_total");
  figures.storeCommits += read("mcn_store_commits_total");
  figures.storeSyncs += read("mcn_store_syncs_total");
}

let dir: string;
let dist: string;
let simulator: SimulatorProc;
let tokens: ApiTokens;
let daemon: DaemonProc | undefined;
let env: Record<string, string>;
const heads: Array<{ seq: number; hash: string }> = [];

beforeAll(async () => {
  ({ dist, dir, simulator, tokens, env } = await startLongRun("mcn-crash-", {
    MCN_TIMEOUT_MS: "1000",
    MCN_CACHE_TTL_MS: "0",
    MCN_GUARD_PATIENT_PER_DAY: "1000",
    MCN_GUARD_UNCONFIRMED_PATIENTS: "100000",
    MCN_PRICING_OFFICE_MAX_USES: "100",
  }));
  await setFaults(simulator, { all: { kind: "system-error", rate: 0.3, seed: 5 } });
});

afterAll(async () => {
  if (daemon) await stopProcess(daemon);
  if (simulator) await stopProcess(simulator);
  console.info(
    `crash durability: ${JSON.stringify({ ...figures, restartsMs: undefined, slowestRestartMs: Math.max(...figures.restartsMs) })}`,
  );
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function api(method: string, path: string, token: string, body?: unknown) {
  figures.requests++;
  const res = await fetch(`${daemon!.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json().catch(() => undefined)) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

let refs = 0;
const ids: string[] = [];
/** One client: random actions until the daemon dies under it. */
async function client(stop: { dead: boolean }) {
  while (!stop.dead) {
    try {
      const r = random();
      // Among the latest consultations (a pharmacist answers what just happened).
      const waiting = ids
        .slice(-300)
        .map((id) => [id, acked.consultations.get(id)!] as const)
        .filter(([id, c]) => c.outcome === "needs-pharmacist" && !acked.answers.has(id));
      if (r < 0.55 || acked.consultations.size === 0) {
        const person = pick(people);
        const res = await api("POST", "/v1/consultations", tokens.dispensing, {
          patient: { niss: person.niss },
          reference: `crash-${process.pid}-${++refs}`,
        });
        if (res.status === 201) {
          ids.push(res.json.id);
          acked.consultations.set(res.json.id, {
            outcome: res.json.outcome,
            paymentApproval: res.json.commitment?.paymentApproval ?? null,
            question: res.json.fallback?.question?.node ?? null,
          });
          figures.acknowledged++;
        } else figures.refusedOrCut++;
      } else if (r < 0.75 && waiting.length > 0) {
        const [id, c] = pick(waiting);
        const sis = random() < 0.5;
        // A patient the pharmacy knows is asked node 5 first (trust the last known data?).
        const answers = [
          ...(c.question === 5 ? [{ node: 5, answer: false }] : []),
          ...(sis
            ? [
                {
                  node: 6,
                  answer: true,
                  note: "SIS card",
                  data: { ct1: "110", ct2: "110", mutuality: "121" },
                },
              ]
            : [
                { node: 6, answer: false },
                { node: 7, answer: false },
              ]),
        ];
        const res = await api("POST", `/v1/consultations/${id}/fallback-answers`, tokens.pharmacist, {
          answers,
        });
        if (res.status === 200) {
          acked.answers.set(id, { nodes: answers.map((a) => a.node), outcome: res.json.outcome });
          figures.acknowledged++;
        } else figures.refusedOrCut++;
      } else if (r < 0.9) {
        const id = pick(ids);
        if (acked.deliveries.has(id)) continue;
        const res = await api("POST", `/v1/consultations/${id}/delivery`, tokens.dispensing, {});
        if (res.status === 200) {
          acked.deliveries.add(id);
          figures.acknowledged++;
        } else figures.refusedOrCut++;
      } else {
        const person = pick(people);
        const res = await api("POST", "/v1/pricing-office/consultations", tokens.pricingOffice, {
          rejection: {
            invoiceReference: `INV-${++refs}`,
            reasonCode: DEFAULT_INSURABILITY_REJECTION_CODES[0],
            rejectedOn: today,
          },
          patient: { niss: person.niss },
          deliveryDate: today,
        });
        // Answered, or refused by the purpose rule: either way one audit entry, acknowledged.
        if (typeof res.json?.auditEntry === "number") {
          acked.pricingOfficeEntries.add(res.json.auditEntry);
          figures.acknowledged++;
        } else figures.refusedOrCut++;
      }
    } catch {
      figures.refusedOrCut++; // the connection died with the daemon: nothing was acknowledged
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

/** Reads the data directory (the daemon is down or running: WAL readers see every commit). */
function lostEntries(): string[] {
  const db = new Database(join(dir, "data", DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    const lost: string[] = [];
    const consultation = db.prepare(
      "SELECT outcome, delivered_at, reused_commitment_id FROM consultations WHERE id = ?",
    );
    const commitment = db.prepare("SELECT payment_approval FROM commitments WHERE consultation_id = ?");
    const answers = db.prepare("SELECT node FROM fallback_answers WHERE consultation_id = ? ORDER BY node");
    // Every audit entry about a consultation, read once: "action consultation" → how many.
    const auditCounts = new Map<string, number>();
    for (const a of db
      .prepare(
        "SELECT action, json_extract(detail_json, '$.consultation') AS c FROM audit WHERE c IS NOT NULL",
      )
      .iterate() as Iterable<{ action: string; c: string }>) {
      auditCounts.set(`${a.action} ${a.c}`, (auditCounts.get(`${a.action} ${a.c}`) ?? 0) + 1);
    }
    const audited = (action: string, id: string) => auditCounts.get(`${action} ${id}`) ?? 0;
    const entry = db.prepare("SELECT action FROM audit WHERE seq = ?");
    for (const [id, c] of acked.consultations) {
      const row = consultation.get(id) as
        { outcome: string; delivered_at: string | null; reused_commitment_id: string | null } | undefined;
      if (!row) {
        lost.push(`consultation ${id}`);
        continue;
      }
      const answered = acked.answers.get(id);
      // Answers in flight when the daemon died may have been stored without being acknowledged.
      const unacknowledgedAnswers = !answered && c.outcome === "needs-pharmacist" && row.outcome !== "online";
      if (row.outcome !== (answered?.outcome ?? c.outcome) && !unacknowledgedAnswers)
        lost.push(`outcome of ${id}: ${row.outcome}`);
      if (c.paymentApproval !== null) {
        // Online: the commitment obtained; reused: the stored one it served from.
        const owner = c.outcome === "online" ? id : row.reused_commitment_id;
        const k =
          owner === null ? undefined : (commitment.get(owner) as { payment_approval: string } | undefined);
        if (k?.payment_approval !== c.paymentApproval) lost.push(`commitment of ${id} (${c.outcome})`);
      }
      if (audited("consultation.recorded", id) !== 1) lost.push(`audit of ${id}`);
      if (answered) {
        const nodes = (answers.all(id) as Array<{ node: number }>).map((a) => a.node);
        if (JSON.stringify(nodes) !== JSON.stringify(answered.nodes)) lost.push(`answers of ${id}`);
        if (audited("fallback.answered", id) !== 1) lost.push(`audit of answers to ${id}`);
      }
      if (acked.deliveries.has(id)) {
        if (row.delivered_at === null) lost.push(`delivery of ${id}`);
        if (audited("delivery.confirmed", id) !== 1) lost.push(`audit of delivery ${id}`);
      }
    }
    for (const seq of acked.pricingOfficeEntries) {
      const row = entry.get(seq) as { action: string } | undefined;
      if (!row?.action.startsWith("pricing-office.")) lost.push(`pricing-office audit entry ${seq}`);
    }
    figures.auditEntries = (db.prepare("SELECT count(*) AS n FROM audit").get() as { n: number }).n;
    return lost;
  } finally {
    db.close();
  }
}

async function startAndCheck(): Promise<DaemonProc> {
  const started = performance.now();
  const d = await startDaemonProcess({ dist, env, logFile: join(dir, "daemon.log") });
  figures.restartsMs.push(performance.now() - started);
  daemon = d;
  // The chain verifies, and every head verified before still lies on it.
  const verified = await api("GET", "/v1/audit/verify", tokens.admin);
  expect(verified.status).toBe(200);
  expect(verified.json).toMatchObject({ ok: true });
  for (const head of heads.slice(-3)) {
    const anchored = await api(
      "GET",
      `/v1/audit/verify?anchorSeq=${head.seq}&anchorHash=${head.hash}`,
      tokens.admin,
    );
    expect(anchored.json, `anchored at ${head.seq}`).toMatchObject({ ok: true });
  }
  const head = verified.json.head as { seq: number; hash: string } | undefined;
  if (head) heads.push(head);
  // The eHealth session survives restarts (sessions.json); one killed while opening is reopened.
  const sessions = await api("GET", "/v1/sessions", tokens.pharmacist);
  if (sessions.json.sessions.length === 0) {
    expect(
      (await api("POST", "/v1/sessions", tokens.pharmacist, { method: "personal-certificate" })).status,
    ).toBe(201);
  }
  return d;
}

describe("kill -9 under load, then restart", () => {
  it(`acknowledged means on disk, through ${CYCLES} crashes`, async () => {
    await startAndCheck();
    // SPEC §1.6 (issue 16): the pricing office consults only under the titular pharmacist's mandate.
    const mandate = await api("POST", "/v1/mandates", tokens.pharmacist, {
      mandatary: { kind: "company", id: DEMO_PRICING_OFFICE_BCE, name: "Office de tarification" },
      service: "insurability",
      validFrom: today,
      validUntil: today,
      reference: "MAND-CRASH",
    });
    expect(mandate.status).toBe(201);
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const stop = { dead: false };
      const clients = Array.from({ length: CLIENTS }, () => client(stop));
      // A random moment: the first requests may still be opening connections, or hundreds in.
      await new Promise((r) => setTimeout(r, 150 + random() * 2500));
      await noteStoreCommits(daemon!);
      await kill9(daemon!);
      stop.dead = true;
      await Promise.all(clients);
      figures.cycles = cycle;
      expect(lostEntries(), `after crash ${cycle}`).toEqual([]);
      await startAndCheck();
      expect(lostEntries(), `after restart ${cycle}`).toEqual([]);
    }
    expect(figures.acknowledged).toBeGreaterThan(CYCLES * 10);
    expect(acked.answers.size).toBeGreaterThan(0);
    expect(acked.deliveries.size).toBeGreaterThan(0);
    expect(acked.pricingOfficeEntries.size).toBeGreaterThan(0);
    expect(
      [...acked.consultations.values()].filter((c) => c.paymentApproval !== null).length,
    ).toBeGreaterThan(0);
    figures.lost = lostEntries().length;
    expect(figures.lost).toBe(0);
  });

  it("the restarted daemon listens on loopback and says nothing about exposure; bound elsewhere, it warns", async () => {
    await stopProcess(daemon!);
    const quiet = await startDaemonProcess({ dist, env, logFile: join(dir, "daemon.log") });
    expect(new URL(quiet.url).hostname).toBe("127.0.0.1");
    expect(quiet.lines().some((l) => l.includes("without TLS"))).toBe(false);
    await stopProcess(quiet);
    const exposed = await startDaemonProcess({
      dist,
      env: { ...env, MCN_LISTEN: "0.0.0.0:0" },
      logFile: join(dir, "daemon.log"),
    });
    daemon = exposed;
    const warning = exposed.lines().find((l) => l.includes("without TLS"));
    expect(warning && JSON.parse(warning)).toMatchObject({ level: 40, host: "0.0.0.0" });
  });
});
