// Recall end to end (SPEC §1.4, brochure §9.3.5): fallback deliveries made while the simulator
// is down are consulted online again once it is back — by themselves when the circuit closes
// (first stack: the probe runs every 100 ms), or on POST /v1/recalls/run and after a restart
// (second stack: a circuit that never opens) — and each is marked confirmed, or discrepancy
// with what differs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, brusselsDay } from "../../src/commitment/index.js";
import { makeNiss } from "../../src/identifiers/index.js";
import { SCENARIO_NISS } from "../../src/simulator/index.js";
import { startStack, type Stack } from "../support/stack.js";

const today = brusselsDay(new Date());
const yesterday = addDays(today, -1);

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function helpers(get: () => Stack) {
  let counter = 0;
  const pharmacist = () => get().tokens.pharmacist;
  return {
    consult: async (patient: object, deliveryDate = today) =>
      (
        await get().request("POST", "/v1/consultations", {
          body: { patient, deliveryDate, reference: `recall-${++counter}` },
        })
      ).json,
    answer: async (id: string, answers: unknown[]) =>
      get().request("POST", `/v1/consultations/${id}/fallback-answers`, {
        token: pharmacist(),
        body: { answers },
      }),
    recalls: async (query = "") =>
      (await get().request("GET", `/v1/recalls${query}`, { token: pharmacist() })).json.recalls as Array<{
        id: string;
        consultationId: string;
        status: string;
        attempts: number;
        reference: string;
        differences: Array<{ code: string; fallback: unknown; online: unknown }>;
        online: { consultationId: string } | null;
      }>,
    run: async () => (await get().request("POST", "/v1/recalls/run", { token: pharmacist() })).json,
    down: async () => {
      get().demo.simulator.faults.set({ all: { kind: "down" } });
      await get().demo.simulator.settled();
    },
    up: async () => {
      get().demo.simulator.faults.clear();
      await get().demo.simulator.settled();
    },
  };
}

describe("when the circuit closes, the recalls run by themselves", () => {
  let stack: Stack;
  const h = helpers(() => stack);
  const ids: Record<string, string> = {};
  const byConsultation = async (id: string | undefined) =>
    (await h.recalls()).find((r) => r.consultationId === id);

  beforeAll(async () => {
    stack = await startStack({
      env: { MCN_TIMEOUT_MS: "500", MCN_CIRCUIT_THRESHOLD: "2", MCN_PROBE_MS: "100", MCN_CACHE_TTL_MS: "1" },
    });
    expect((await h.consult({ niss: SCENARIO_NISS.ordinary })).outcome).toBe("online");
  });
  afterAll(() => stack.stop());

  it("during the outage: fallback deliveries queued, circuit open, probes failing", async () => {
    await h.down();
    const lastKnown = await h.consult({ niss: SCENARIO_NISS.ordinary }, yesterday);
    ids["lastKnown"] = lastKnown.id;
    expect((await h.answer(lastKnown.id, [{ node: 5, answer: true }])).json.outcome).toBe("last-known");

    // Her card says 110/110 with mutuality 121; MyCareNet will say 131/131 with 311.
    const wrongCard = await h.consult({ niss: SCENARIO_NISS.preferential });
    ids["wrongCard"] = wrongCard.id;
    const sis = { ct1: "110", ct2: "110", mutuality: "121" };
    expect((await h.answer(wrongCard.id, [{ node: 6, answer: true, data: sis }])).json.outcome).toBe(
      "sis-card",
    );

    const noRight = await h.consult({ niss: SCENARIO_NISS.noRight });
    ids["noRight"] = noRight.id;
    await h.answer(noRight.id, [
      { node: 6, answer: true, data: { ct1: "110", ct2: "110", mutuality: "228" } },
    ]);

    const model704 = await h.consult({ niss: SCENARIO_NISS.transfer });
    ids["model704"] = model704.id;
    await h.answer(model704.id, [
      { node: 6, answer: false },
      { node: 7, answer: false },
    ]);

    const reused = await h.consult({ niss: SCENARIO_NISS.ordinary });
    expect(reused.outcome).toBe("reused-commitment");
    ids["reused"] = reused.id;

    const unanswered = await h.consult({ niss: SCENARIO_NISS.consecutiveSameStatus });
    expect(unanswered.outcome).toBe("needs-pharmacist");
    ids["unanswered"] = unanswered.id;

    expect(stack.daemon.circuit.isOpen).toBe(true);
    // Changed on purpose (issue 13): after MCN_PROBE_MS open the circuit is half-open and the
    // next consultation tries online (here: refused again), so the reason is either.
    expect(["circuit-open", "connect-refused"]).toContain(reused.fallback.reason);
    const health = (await stack.request("GET", "/v1/health", { token: null })).json;
    expect(health).toMatchObject({
      status: "degraded",
      mycarenet: { state: "unreachable", circuit: { state: "open", opened: 1 } },
      recalls: { pending: 6 },
    });
    await until(async () => {
      const metrics = (await stack.request("GET", "/metrics", { token: null })).body as string;
      return /mcn_circuit_probes_total\{kind="recall",result="outage"\} [1-9]/.test(metrics)
        ? metrics
        : undefined;
    }, "a failed recall probe");
    expect((await byConsultation(ids["lastKnown"]))?.attempts).toBeGreaterThan(0);
  });

  it("once the simulator is back: confirmed or discrepancy, with what differs", async () => {
    await h.up();
    const left = await until(async () => {
      const pending = await h.recalls("?status=pending");
      return pending.length === 1 ? pending : undefined;
    }, "the recalls to resolve");
    expect(left[0]?.consultationId).toBe(ids["unanswered"]);
    expect(left[0]?.attempts).toBe(0);

    for (const name of ["lastKnown", "model704", "reused"]) {
      expect(await byConsultation(ids[name]), name).toMatchObject({ status: "confirmed", differences: [] });
    }
    const wrongCard = await byConsultation(ids["wrongCard"]);
    expect(wrongCard).toMatchObject({
      status: "discrepancy",
      differences: [
        { code: "ct1", fallback: "110", online: "131" },
        { code: "ct2", fallback: "110", online: "131" },
        { code: "mutuality", fallback: "121", online: "311" },
        { code: "national-union", fallback: 100, online: 300 },
        { code: "preferential", fallback: false, online: true },
      ],
      fallback: { outcome: "sis-card", guarantee: "sis-commitment" },
      online: { insured: true, entitlement: { ct1: "131", ct2: "131" }, mutuality: "311" },
    });
    expect(await byConsultation(ids["noRight"])).toMatchObject({
      status: "discrepancy",
      differences: [{ code: "no-right", fallback: true, online: false }],
      online: { insured: false, reason: "NO_RIGHT_AT_DATE" },
    });

    // The recall is an online consultation like any other, for the delivery's date and reference.
    const lastKnown = await byConsultation(ids["lastKnown"]);
    const online = (await stack.request("GET", `/v1/consultations/${lastKnown?.online?.consultationId}`))
      .json;
    expect(online).toMatchObject({
      outcome: "online",
      deliveryDate: yesterday,
      reference: lastKnown?.reference,
    });

    const health = (await stack.request("GET", "/v1/health", { token: null })).json;
    expect(health).toMatchObject({
      status: "ok",
      mycarenet: { state: "reachable", circuit: { state: "closed" } },
      recalls: { pending: 1, discrepanciesOpen: 2 },
    });
    const metrics = (await stack.request("GET", "/metrics", { token: null })).body as string;
    expect(metrics).toContain("mcn_circuit_open 0");
    expect(metrics).toContain('mcn_recalls_total{status="confirmed"} 3');
    expect(metrics).toContain('mcn_recalls_total{status="discrepancy"} 2');
    expect(metrics).toContain('mcn_recall_differences_total{difference="no-right"} 1');
    expect(metrics).toContain('mcn_recall_differences_total{difference="preferential"} 1');
  });

  it("the pharmacist closes a discrepancy once seen", async () => {
    const recall = await byConsultation(ids["wrongCard"]);
    const path = `/v1/recalls/${recall?.id}/handled`;
    const done = await stack.request("POST", path, { token: stack.tokens.pharmacist });
    expect(done.json).toMatchObject({ status: "discrepancy", handled: { by: "pharmacist" } });
    const again = await stack.request("POST", path, { token: stack.tokens.pharmacist });
    expect([again.status, again.json.code]).toEqual([409, "RECALL_ALREADY_HANDLED"]);
    const pending = await byConsultation(ids["unanswered"]);
    const early = await stack.request("POST", `/v1/recalls/${pending?.id}/handled`, {
      token: stack.tokens.pharmacist,
    });
    expect([early.status, early.json.code]).toEqual([409, "RECALL_NOT_RESOLVED"]);
    const open = await h.recalls("?status=discrepancy&handled=false");
    expect(open.map((r) => r.consultationId)).toEqual([ids["noRight"]]);
    const counter = await stack.request("GET", "/v1/recalls");
    expect([counter.status, counter.json.code]).toEqual([403, "ROLE_FORBIDDEN"]);
  });

  it("a delivery answered after the outage is recalled on POST /v1/recalls/run", async () => {
    const id = ids["unanswered"] as string;
    const sticker = { ct1: "120", ct2: "120", mutuality: "509" };
    const answered = await h.answer(id, [
      { node: 6, answer: false },
      { node: 7, answer: true },
      { node: 8, answer: true, data: sticker },
    ]);
    expect(answered.json.outcome).toBe("document");
    const run = await h.run();
    expect(run).toMatchObject({ trigger: "manual", consulted: 1, pending: 0, stopped: null });
    expect(run.resolved).toMatchObject([{ consultationId: id, status: "confirmed", differences: [] }]);
  });
  it("with nothing to recall, the probe knocks at MyCareNet's door instead", async () => {
    await h.down();
    // Deliveries still waiting for the pharmacist are not recalled (purpose): nothing to recall.
    for (const birth of ["1950-02-03", "1950-02-04"]) {
      const asked = await h.consult({ niss: makeNiss({ birthDate: birth, sequence: 11 }) });
      expect(asked.outcome).toBe("needs-pharmacist");
    }
    expect(stack.daemon.circuit.isOpen).toBe(true);
    const probes = async (result: string) => {
      const metrics = (await stack.request("GET", "/metrics", { token: null })).body as string;
      const m = new RegExp(
        `mcn_circuit_probes_total\\{kind="reachability",result="${result}"\\} ([0-9]+)`,
      ).exec(metrics);
      return m ? Number(m[1]) : 0;
    };
    await until(async () => ((await probes("outage")) > 0 ? true : undefined), "a failed reachability probe");
    await h.up();
    await until(async () => (stack.daemon.circuit.isOpen ? undefined : true), "the circuit to close");
    expect(await probes("answer")).toBeGreaterThan(0);
    // Closed on probation: MyCareNet's door answered, not yet a consultation.
    expect(stack.daemon.circuit.snapshot().consecutiveOutages).toBe(1);
    expect((await h.recalls("?status=pending")).length).toBe(2);
  });
});

describe("POST /v1/recalls/run, and recalls that outlive a restart", () => {
  let stack: Stack;
  const h = helpers(() => stack);

  beforeAll(async () => {
    stack = await startStack({
      env: {
        MCN_TIMEOUT_MS: "500",
        MCN_PROBE_MS: "600000",
        MCN_CACHE_TTL_MS: "1",
      },
    });
  });
  afterAll(() => stack.stop());

  it("while MyCareNet is still down the run stops at the first outage and changes nothing else", async () => {
    await h.down();
    // Card 110/110 at 135: right entitlement, but MyCareNet signals the elevated regime (BIM).
    const mismatch = await h.consult({ niss: SCENARIO_NISS.regimeMismatch });
    await h.answer(mismatch.id, [
      { node: 6, answer: true, data: { ct1: "110", ct2: "110", mutuality: "135" } },
    ]);
    const seafarer = await h.consult({ niss: SCENARIO_NISS.bis });
    await h.answer(seafarer.id, [
      { node: 6, answer: true, data: { ct1: "110", ct2: "110", mutuality: "750" } },
    ]);

    const run = await h.run();
    expect(run).toMatchObject({
      consulted: 1,
      resolved: [],
      pending: 2,
      stopped: { reason: "outage", kind: "connect-refused" },
    });
    expect((await h.recalls()).map((r) => [r.status, r.attempts])).toEqual([
      ["pending", 1],
      ["pending", 0],
    ]);

    await h.up();
    const done = await h.run();
    expect(done).toMatchObject({ consulted: 2, pending: 0, stopped: null });
    const statuses = Object.fromEntries(
      done.resolved.map((r: { consultationId: string; status: string; differences: unknown }) => [
        r.consultationId,
        [r.status, r.differences],
      ]),
    );
    expect(statuses).toEqual({
      [mismatch.id]: ["discrepancy", [{ code: "preferential", fallback: false, online: true }]],
      [seafarer.id]: ["confirmed", []],
    });
  });

  it("a fallback delivery queued before a restart is recalled by itself after it", async () => {
    await h.down();
    const newborn = await h.consult({ mutuality: "132", registrationNumber: "0001 13 NB7X" });
    expect(newborn.fallback.question.node).toBe(6);
    await h.answer(newborn.id, [
      { node: 6, answer: true, data: { ct1: "110", ct2: "110", mutuality: "132" } },
    ]);
    await h.up();
    await stack.restartDaemon();
    const recall = await until(async () => {
      const r = (await h.recalls()).find((x) => x.consultationId === newborn.id);
      return r?.status === "pending" ? undefined : r;
    }, "the recall after the restart");
    expect(recall).toMatchObject({ status: "confirmed", differences: [] });
  });
});
