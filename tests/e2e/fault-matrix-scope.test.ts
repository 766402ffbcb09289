// The fault matrix, second part (issue 13): how answers are read and how far an outage reaches,
// at the DEFAULT settings (threshold 3, cooldown and probe 5 s, timeout 3 s, cache 5 min, guard
// 10 a patient a day) — nothing raised. Each row counts the SOAP messages that reached the
// simulator (its /_control/stats), and every message it received validated against the XSD
// (tests/support/stack.ts checks that for every e2e stack when it stops).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, brusselsDay } from "../../src/commitment/index.js";
import { createPopulation, type FaultPlan } from "../../src/simulator/index.js";
import type { StatsSnapshot } from "../../src/simulator/stats.js";
import { patientKeyOf } from "../../src/identifiers/patient-key.js";
import { readMetrics, sample } from "../support/metrics.js";
import { startStack, type Stack } from "../support/stack.js";

let stack: Stack;
let counter = 0;
const today = brusselsDay(new Date());
const figures: Record<string, unknown> = {};

// The simulator's population (seed 1, the stack's): patients with a right today, by insurer
// (national union = first digit of the mutuality, brochure §3.1).
const population = createPopulation(1, today).people.slice(20);
const byUnion = (digit: string) =>
  population.flatMap((p) => {
    const last = p.periods.at(-1);
    const open =
      last && last.begin <= today && (last.end === undefined || last.end === null || last.end >= today);
    return p.niss && !p.deceased && open && last.mutuality.startsWith(digit) ? [p.niss] : [];
  });
const pools: Record<string, string[]> = {
  "1": byUnion("1"),
  "2": byUnion("2"),
  "3": byUnion("3"),
  "5": byUnion("5"),
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function consult(niss: string, deliveryDate?: string): Promise<{ status: number; json: any }> {
  const r = await stack.request("POST", "/v1/consultations", {
    body: { patient: { niss }, reference: `scope-${++counter}`, ...(deliveryDate ? { deliveryDate } : {}) },
  });
  // Each delivery is made, as at a counter (the guard watches unconfirmed patients, SPEC §1.6).
  if (r.status === 201) await stack.request("POST", `/v1/consultations/${r.json.id}/delivery`);
  return { status: r.status, json: r.json };
}

const sim = () => stack.demo.simulator;
const plan = async (p: FaultPlan) => {
  sim().faults.set(p);
  await sim().settled();
};
const stats = (): Promise<StatsSnapshot> => sim().stats();
/** SOAP consultations that reached the simulator while `run` ran. */
async function calls<T>(run: () => Promise<T>): Promise<{ calls: number; result: T }> {
  const before = (await stats()).consultations;
  const result = await run();
  return { calls: (await stats()).consultations - before, result };
}

/** A patient of that union whom MyCareNet answers insured with a commitment: now known. */
async function knownInsured(digit: string): Promise<string> {
  const pool = pools[digit] ?? [];
  while (pool.length > 0) {
    const niss = pool.shift() as string;
    // Twenty days back: its commitment then covers the past dates the rows ask about.
    const { json } = await consult(niss, addDays(today, -20));
    if (json.outcome === "online" && json.insured === true && json.commitment) return niss;
  }
  throw new Error(`no insured patient of union ${digit}00 in the population`);
}

// A past delivery date (today's online answer is in the cache): reused when a stored commitment
// covers it, else the pharmacist's questions — the automatic part of the tree either way.
const FALLBACK = expect.stringMatching(/^(reused-commitment|needs-pharmacist)$/);

const health = async () => (await stack.request("GET", "/v1/health", { token: null })).json;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await plan({});
  await stack.stop();
  console.info(`fault matrix (scope, default settings): ${JSON.stringify(figures)}`);
});

describe("unknown return codes, with and without Coverage, in each Major family", () => {
  const families = ["success", "no-right", "input", "platform", "other"] as const;
  const expected: Record<(typeof families)[number], { without: "not-insured" | "rejected" | "outage" }> = {
    success: { without: "not-insured" },
    "no-right": { without: "not-insured" },
    input: { without: "rejected" },
    platform: { without: "outage" },
    other: { without: "not-insured" },
  };
  const patients: Record<string, string> = {};

  beforeAll(async () => {
    await plan({});
    for (const family of families) patients[family] = await knownInsured(family === "platform" ? "3" : "1");
  });

  it.each(families)(
    "%s family: with Coverage insured online; without, as its family says",
    async (family) => {
      const niss = patients[family] as string;
      await plan({ all: { kind: "unknown-code", family, coverage: true } });
      const withCov = await calls(() => consult(niss, addDays(today, -1)));
      expect(withCov.calls).toBe(1);
      expect(withCov.result.status).toBe(201);
      expect(withCov.result.json).toMatchObject({ outcome: "online", insured: true });
      expect(withCov.result.json.commitment).not.toBeNull();
      expect(withCov.result.json.warnings).toContainEqual(
        expect.objectContaining({ code: "UNKNOWN_RETURN_CODE" }),
      );

      await plan({ all: { kind: "unknown-code", family, coverage: false } });
      const without = await calls(() => consult(niss, addDays(today, -2)));
      expect(without.calls).toBe(1);
      const outcome = expected[family].without;
      if (outcome === "not-insured") {
        expect(without.result.status).toBe(201);
        expect(without.result.json).toMatchObject({ outcome: "online", insured: false, commitment: null });
        expect(without.result.json.returnCode.major).toBe(
          family === "success" ? "01" : family === "no-right" ? "02" : "05",
        );
        expect(without.result.json.warnings).toContainEqual(
          expect.objectContaining({ code: "UNKNOWN_RETURN_CODE" }),
        );
      } else if (outcome === "rejected") {
        expect([without.result.status, without.result.json.code]).toEqual([422, "MYCARENET_REJECTED"]);
      } else {
        expect(without.result.status).toBe(201);
        expect(without.result.json).toMatchObject({
          outcome: FALLBACK,
          fallback: { reason: "insurer-silent" },
        });
      }
      figures[`unknown-code ${family}`] = {
        withCoverage: "online insured",
        without: outcome,
        calls: withCov.calls + without.calls,
      };
      // The platform answered every time: its circuit never counted any of it.
      expect((await health()).mycarenet.circuit).toMatchObject({ state: "closed", consecutiveOutages: 0 });
    },
  );
});

describe("one insurer silent while three others answer", () => {
  const silence: Array<["code" | "timeout"]> = [["code"], ["timeout"]];

  it.each(silence)(
    "silent by %s: its known patient goes to the fallback without a call; the others stay online",
    async (how) => {
      await plan({});
      const [a, b, c, d] = [
        await knownInsured("1"),
        await knownInsured("2"),
        await knownInsured("3"),
        await knownInsured("5"),
      ];
      const start = (await stats()).byInsurer;
      await plan({ insurers: { "100": { kind: "insurer-silent", silence: how } } });
      const date = addDays(today, how === "code" ? -3 : -4);
      // Three outages of insurer 100 in a row (the default threshold): insurer 100 is silent.
      const first = await calls(async () => {
        const outcomes = [];
        for (let i = 0; i < 3; i++) outcomes.push((await consult(a, date)).json);
        return outcomes;
      });
      expect(first.calls).toBe(3);
      for (const r of first.result) expect(r).toMatchObject({ outcome: FALLBACK });
      expect((await health()).mycarenet).toMatchObject({
        silentInsurers: ["100"],
        circuit: { state: "closed" },
      });
      // Its known patient now: straight to the fallback, nothing sent.
      const straight = await calls(() => consult(a, date));
      expect(straight.calls).toBe(0);
      expect(straight.result.json).toMatchObject({
        outcome: FALLBACK,
        fallback: { reason: "insurer-silent" },
      });
      // The other insurers' patients: online, one call each (then the cache).
      const others = await calls(async () => {
        const outcomes = [];
        for (const niss of [b, c, d])
          for (let i = 0; i < 2; i++) outcomes.push((await consult(niss, date)).json);
        return outcomes;
      });
      for (const r of others.result) expect(r.outcome).toBe("online");
      expect(others.calls).toBeGreaterThanOrEqual(3);
      // Beyond the three: at most the background recalls of the silent insurer's deliveries.
      const s = await stats();
      figures[`insurer 100 silent (${how})`] = {
        silentPatientCalls: first.calls + straight.calls,
        otherPatientsCalls: others.calls,
        byInsurer: Object.fromEntries(Object.entries(s.byInsurer).map(([k, v]) => [k, v - (start[k] ?? 0)])),
      };
      const metrics = await readMetrics(stack.daemon.url);
      expect(sample(metrics, "mcn_insurer_silent", { insurer: "100" })).toBe(1);
      expect(sample(metrics, "mcn_circuit_open")).toBe(0);
      // After its cooldown (5 s, the default) the next consultation of insurer 100 tries online.
      await plan({});
      await new Promise((r) => setTimeout(r, 5_100));
      const back = await calls(() => consult(a, addDays(date, -10)));
      expect(back.result.json.outcome).toBe("online");
      expect((await health()).mycarenet.silentInsurers).toEqual([]);
    },
  );
});

describe("a sticky failing patient while others answer", () => {
  it("keeps the circuit closed: the others' answers in between count, the failing one is its own", async () => {
    await plan({});
    const [x, y] = [await knownInsured("2"), await knownInsured("3")];
    await plan({ all: { kind: "system-error", patients: [x] } });
    const run = await calls(async () => {
      const out: string[] = [];
      for (let i = 0; i < 4; i++) {
        out.push((await consult(x, addDays(today, -5 - i))).json.outcome);
        out.push((await consult(y, addDays(today, -5 - i))).json.outcome);
      }
      return out;
    });
    expect(run.result).toEqual(Array.from({ length: 4 }, () => [FALLBACK, "online"]).flat());
    expect(run.calls).toBe(8);
    expect((await health()).mycarenet.circuit).toMatchObject({ state: "closed" });
    figures["sticky patient"] = { consultations: 8, calls: run.calls, circuit: "closed" };
  });
});

describe("no session open", () => {
  it("answers from the store with reason no-session, sends nothing, recalls once a session opens", async () => {
    await plan({});
    const k = await knownInsured("1");
    for (const s of stack.daemon.sessions.list()) stack.daemon.sessions.close(s.id);
    // Today: reusable from the commitment of twenty days ago (not in the cache: another date).
    const none = await calls(() => consult(k));
    expect(none.calls).toBe(0);
    expect(none.result.json).toMatchObject({
      outcome: FALLBACK,
      fallback: { reason: "no-session" },
    });
    expect((await health()).mycarenet.state).toBe("no-session");
    const opened = await calls(async () => {
      const session = await stack.request("POST", "/v1/sessions", {
        token: stack.tokens.pharmacist,
        body: { method: "personal-certificate" },
      });
      expect(session.status).toBe(201);
      // The recall the session opening started (no timing asserted: wait until it is resolved).
      for (let i = 0; i < 100; i++) {
        const r = stack.daemon.store.listRecalls({}).find((x) => x.consultationId === none.result.json.id);
        if (r?.status !== "pending") return r;
        await new Promise((res) => setTimeout(res, 50));
      }
      return undefined;
    });
    expect(opened.result?.status).toBe("confirmed");
    expect(opened.calls).toBeGreaterThanOrEqual(1);
    figures["no session"] = { callsWithoutSession: none.calls, recallCallsOnceOpened: opened.calls };
  });
});

describe("a refused recall", () => {
  it("is tried at most three times, each counted by the guard, then left to the pharmacist", async () => {
    await plan({});
    const k = await knownInsured("2");
    const key = patientKeyOf({ niss: k });
    await plan({ all: { kind: "system-error", patients: [k] } });
    const fallback = (await consult(k)).json;
    expect(fallback.outcome).toBe("reused-commitment");
    await plan({ all: { kind: "refuse", patients: [k] } });
    const countedBefore = stack.daemon.store.compliance.consultationsOn(key, today);
    const runs = await calls(async () => {
      for (let i = 0; i < 5; i++)
        await stack.request("POST", "/v1/recalls/run", { token: stack.tokens.pharmacist });
    });
    const recall = stack.daemon.store.listRecalls({}).find((r) => r.consultationId === fallback.id);
    expect(recall).toMatchObject({ status: "refused", refusal: "SOA-01002" });
    const s = await stats();
    expect(s.outcomes["fault:SOA-01002"]).toBe(3);
    expect(stack.daemon.store.compliance.consultationsOn(key, today) - countedBefore).toBe(3);
    const listed = await stack.request("GET", "/v1/recalls?status=refused", {
      token: stack.tokens.pharmacist,
    });
    expect(listed.json.recalls.map((r: { id: string }) => r.id)).toContain(recall?.id);
    figures["refused recall"] = {
      manualRuns: 5,
      refusedCalls: s.outcomes["fault:SOA-01002"],
      allCalls: runs.calls,
    };
  });
});

describe("an answer to another question", () => {
  it.each([["reference"], ["requested"], ["ssin"]] as const)(
    "echoed %s differs: an outage for this consultation, nothing stored of it",
    async (echo) => {
      await plan({});
      const k = await knownInsured("3");
      const known = stack.daemon.store.knownPatient(patientKeyOf({ niss: k }));
      await plan({ all: { kind: "mismatched-echo", echo } });
      const r = await calls(() => consult(k, addDays(today, -8)));
      expect(r.calls).toBe(1);
      expect(r.result.json).toMatchObject({ outcome: FALLBACK, fallback: { reason: "mismatch" } });
      expect(stack.daemon.store.knownPatient(patientKeyOf({ niss: k }))).toEqual(known);
      expect(
        stack.logs.some(
          (l) => l.includes("MyCareNet answered another question") && l.includes(`"field":"${echo}"`),
        ),
      ).toBe(true);
      figures[`mismatched ${echo}`] = { outcome: "fallback (mismatch)", calls: r.calls };
    },
  );
});
