// The recall runner (SPEC §1.4, brochure §9.3.5) over the real consultation service, a scripted
// MyCareNet and a temporary store: which deliveries are asked again, what is resolved, where a
// run stops, and what stays pending.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CodedError } from "../errors.js";
import { niss } from "../store/__fixtures__/store-fixture.js";
import type { ConsultationService } from "./consultation.js";
import { RecallRunner, type RecallRun } from "./recall.js";
import { answered, insured, ScriptedUpstream } from "./__fixtures__/scripted-upstream.js";
import { consultationService, COUNTER, PHARMACIST, world, type World } from "./__fixtures__/world.js";

const NISS = niss("750615123");
const OTHER = niss("800101002");
const TODAY = "2025-03-10";

let w: World;
let upstream: ScriptedUpstream;
let guardOn: boolean;
let consultations: ConsultationService;
let runs: RecallRun[];
let resolvedSeen: Array<{ status: string; differences: readonly string[] }>;

function runner(): RecallRunner {
  return new RecallRunner({
    store: w.store,
    service: consultations,
    clock: w.clock.now,
    logger: w.logger,
    minIntervalMs: 5_000,
    onResolved: (r, differences) => resolvedSeen.push({ status: r.status, differences }),
    onRun: (run) => runs.push(run),
  });
}

/** A delivery made during an outage from a stored commitment: a recall is queued for it. */
async function reusedDuringOutage(patient = NISS, reference = "FALLBACK-1"): Promise<string> {
  upstream.script(insured(patient, "2025-03-03"), { outage: "timeout" });
  await consultations.consult(
    { patient: { niss: patient }, deliveryDate: "2025-03-03", reference: `${reference}-0` },
    COUNTER,
  );
  const { view } = await consultations.consult({ patient: { niss: patient }, reference }, COUNTER);
  expect(view.outcome).toBe("reused-commitment");
  return view.id;
}

beforeEach(() => {
  w = world(`${TODAY}T09:30:00Z`);
  upstream = new ScriptedUpstream();
  guardOn = false;
  runs = [];
  resolvedSeen = [];
  // No memory between deliveries: each test says what MyCareNet answers to the recall itself.
  consultations = consultationService(w, upstream, {
    guard: () => {
      if (guardOn) throw new CodedError("PROPORTIONALITY_LIMIT", { rule: "patient-per-day" });
    },
  });
});
afterEach(() => w.close());

describe("RecallRunner.run", () => {
  it("confirms a fallback delivery when MyCareNet says the same, for its own date and reference", async () => {
    const id = await reusedDuringOutage();
    upstream.script(insured(NISS, TODAY));
    const run = await runner().run("manual", PHARMACIST);
    expect(run).toMatchObject({ trigger: "manual", consulted: 1, rejected: 0, pending: 0, stopped: null });
    expect(run.resolved).toEqual([expect.objectContaining({ consultationId: id, status: "confirmed" })]);
    expect(upstream.calls.at(-1)).toMatchObject({ date: TODAY, userReference: "FALLBACK-1" });
    const recall = w.store.getRecall(run.resolved[0]?.id ?? "");
    expect(recall?.onlineConsultationId).not.toBeNull();
    expect(w.store.getConsultation(recall?.onlineConsultationId ?? "")?.outcome).toBe("online");
    expect(resolvedSeen).toEqual([{ status: "confirmed", differences: [] }]);
    expect(runs).toHaveLength(1);
  });

  it("marks a discrepancy with what differs when the right is gone", async () => {
    await reusedDuringOutage();
    upstream.script(answered("no-right", NISS, TODAY));
    const run = await runner().run("manual", PHARMACIST);
    expect(run.resolved[0]).toMatchObject({ status: "discrepancy", differences: ["no-right"] });
    expect(w.store.listRecalls({ status: "discrepancy", handled: false })).toHaveLength(1);
  });

  it("asks once for deliveries of the same patient on the same date", async () => {
    await reusedDuringOutage(NISS, "FALLBACK-1");
    upstream.script({ outage: "timeout" });
    await consultations.consult({ patient: { niss: NISS }, reference: "FALLBACK-2" }, COUNTER);
    expect(w.store.pendingRecalls()).toHaveLength(2);
    const before = upstream.calls.length;
    upstream.script(insured(NISS, TODAY));
    const run = await runner().run("manual");
    expect(upstream.calls.length - before).toBe(1);
    expect(run).toMatchObject({ consulted: 1, pending: 0 });
    expect(run.resolved).toHaveLength(2);
  });

  it("leaves deliveries waiting for the pharmacist's answers alone", async () => {
    upstream.script({ outage: "timeout" });
    await consultations.consult({ patient: { niss: OTHER }, reference: "UNKNOWN" }, COUNTER);
    const before = upstream.calls.length;
    const run = await runner().run("manual");
    expect(upstream.calls.length).toBe(before);
    expect(run).toMatchObject({ consulted: 0, pending: 1, awaitingPharmacist: 1, stopped: null });
  });

  it("stops at the first outage, counts the attempt and keeps the recall pending", async () => {
    await reusedDuringOutage(NISS, "A");
    await reusedDuringOutage(OTHER, "B");
    const before = upstream.calls.length;
    upstream.script({ outage: "connect-timeout" });
    const run = await runner().run("manual");
    expect(upstream.calls.length - before).toBe(1);
    expect(run).toMatchObject({
      consulted: 1,
      pending: 2,
      stopped: { reason: "outage", kind: "connect-timeout" },
    });
    const attempts = w.store
      .pendingRecalls()
      .map((r) => r.attempts)
      .sort();
    expect(attempts).toEqual([0, 1]);
  });

  it("goes on past a rejection, which stays pending with its attempt noted", async () => {
    await reusedDuringOutage(NISS, "A");
    await reusedDuringOutage(OTHER, "B");
    upstream.script({ fault: "business" }, insured(OTHER, TODAY));
    const run = await runner().run("manual");
    expect(run).toMatchObject({ consulted: 2, rejected: 1, pending: 1, stopped: null });
    expect(run.resolved).toHaveLength(1);
    expect(w.store.pendingRecalls()[0]?.attempts).toBe(1);
  });

  it("stops without a session and without counting a consultation", async () => {
    await reusedDuringOutage();
    for (const s of w.sessions.list()) w.sessions.close(s.id);
    const run = await runner().run("manual");
    expect(run).toMatchObject({
      consulted: 0,
      pending: 1,
      stopped: { reason: "no-session", code: "NO_SESSION" },
    });
  });

  it("stops when the proportionality guard refuses (SPEC §1.6)", async () => {
    await reusedDuringOutage();
    guardOn = true;
    const before = upstream.calls.length;
    const run = await runner().run("manual");
    expect(run.stopped).toEqual({ reason: "proportionality", code: "PROPORTIONALITY_LIMIT" });
    expect(upstream.calls.length).toBe(before);
    expect(w.store.pendingRecalls()[0]?.attempts).toBe(0);
  });

  it("records the daemon as the one who resolved an automatic recall", async () => {
    await reusedDuringOutage();
    upstream.script(insured(NISS, TODAY));
    await runner().run("circuit-closed");
    const entry = w.store.auditEntries().find((e) => e.action.startsWith("recall."));
    expect(entry).toMatchObject({ actor: "daemon", role: "system" });
  });
});

describe("RecallRunner.runOne (the probe's question)", () => {
  it("says nothing when there is nothing to recall", async () => {
    expect(await runner().runOne()).toBe("nothing");
    expect(upstream.calls).toEqual([]);
  });

  it("asks one recall only, the one tried longest ago, and says whether MyCareNet answered", async () => {
    const a = await reusedDuringOutage(NISS, "A");
    await reusedDuringOutage(OTHER, "B");
    const before = upstream.calls.length;
    upstream.script({ outage: "timeout" }, insured(OTHER, TODAY));
    const r = runner();
    expect(await r.runOne()).toBe("outage");
    // A just failed and backs off (issue 13): the probe's next question is B's, never tried.
    expect(await r.runOne()).toBe("answered");
    expect(upstream.calls.slice(before).map((c) => c.patient)).toEqual([{ niss: NISS }, { niss: OTHER }]);
    expect(w.store.pendingRecalls()).toEqual([expect.objectContaining({ consultationId: a, attempts: 1 })]);
  });
});

describe("RecallRunner.kick and close", () => {
  it("starts a background run when something may be recalled, and none again within the interval", async () => {
    await reusedDuringOutage();
    upstream.script(insured(NISS, TODAY));
    const r = runner();
    const finished = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (runs.length > 0) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    r.kick("online-answer");
    await finished;
    expect(runs[0]).toMatchObject({ trigger: "online-answer", consulted: 1, stopped: null });
    expect(w.store.pendingRecalls()).toEqual([]);
    // Within minIntervalMs an unforced kick reads nothing and starts nothing.
    await reusedDuringOutage(OTHER, "B");
    r.kick("online-answer");
    await r.close();
    expect(runs).toHaveLength(1);
  });

  it("stops a run at close before asking anything more", async () => {
    await reusedDuringOutage();
    const before = upstream.calls.length;
    const r = runner();
    r.kick("start", { force: true });
    await r.close();
    expect(upstream.calls.length).toBe(before);
    expect(runs[0]?.stopped).toEqual({ reason: "closing" });
  });

  it("does not start a run for deliveries that only the pharmacist can settle", async () => {
    upstream.script({ outage: "timeout" });
    await consultations.consult({ patient: { niss: OTHER }, reference: "UNKNOWN" }, COUNTER);
    const r = runner();
    r.kick("start", { force: true });
    await r.close();
    expect(runs).toEqual([]);
  });
});
