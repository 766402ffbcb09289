// The bulk-consultation guard (SPEC §1.6, brochure §7.2) through the HTTP API: a script asking
// for many distinct patients without deliveries is stopped before it reaches MyCareNet; the
// alert shows in the logs, the metrics and the health; a pharmacist lifts it for the day.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, brusselsDay } from "../../src/commitment/index.js";
import { startStack, type Stack } from "../support/stack.js";

const LIMITS = { unconfirmed: 4, perDay: 3 };
const today = brusselsDay(new Date());
let stack: Stack;
let patients: string[];
let counter = 0;

beforeAll(async () => {
  stack = await startStack({
    env: {
      MCN_GUARD_UNCONFIRMED_PATIENTS: String(LIMITS.unconfirmed),
      MCN_GUARD_PATIENT_PER_DAY: String(LIMITS.perDay),
      MCN_GUARD_WINDOW_MINUTES: "60",
    },
  });
  patients = stack.demo.simulator.population.people
    .map((p) => p.niss)
    .filter((n): n is string => n !== undefined)
    .slice(20, 40);
});
afterAll(() => stack.stop());

const consult = (niss: string, deliveryDate?: string) =>
  stack.request("POST", "/v1/consultations", {
    body: { patient: { niss }, reference: `script-${++counter}`, ...(deliveryDate ? { deliveryDate } : {}) },
  });
const metrics = async () => (await stack.request("GET", "/metrics", { token: null })).body as string;

describe("a script refreshing the patient file", () => {
  const ids: string[] = [];

  it("is stopped before it reaches the simulator", async () => {
    const calls = stack.demo.simulator.upstreamCalls();
    const statuses: number[] = [];
    for (const niss of patients.slice(0, 10)) {
      const res = await consult(niss);
      statuses.push(res.status);
      if (res.status === 201) ids.push(res.json.id);
      else
        expect(res.json).toMatchObject({
          code: "PROPORTIONALITY_LIMIT",
          rule: "unconfirmed-patients",
          limit: 4,
          windowMinutes: 60,
        });
    }
    expect(statuses).toEqual([201, 201, 201, 201, 429, 429, 429, 429, 429, 429]);
    expect(stack.demo.simulator.upstreamCalls()).toBe(calls + LIMITS.unconfirmed);
  });

  it("raises one alert in the logs (without any NISS), the metrics and the health", async () => {
    const alerts = stack.logs.filter((l) => l.includes("proportionality alert"));
    expect(alerts).toHaveLength(1);
    expect(JSON.parse(alerts[0] as string)).toMatchObject({
      level: 40,
      rule: "unconfirmed-patients",
      count: 4,
      limit: 4,
    });
    const all = stack.logs.join("\n");
    for (const niss of patients.slice(0, 10)) expect(all).not.toContain(niss);

    const text = await metrics();
    expect(text).toMatch(/mcn_proportionality_refusals_total\{rule="unconfirmed-patients"\} 6/);
    expect(text).toMatch(/mcn_proportionality_alert 1/);

    const health = (await stack.request("GET", "/v1/health", { token: null })).json;
    expect(health.status).toBe("degraded");
    expect(health.proportionality).toMatchObject({ state: "alert", rules: ["unconfirmed-patients"] });

    const status = (await stack.request("GET", "/v1/proportionality", { token: stack.tokens.pharmacist }))
      .json;
    expect(status).toMatchObject({
      state: "alert",
      day: today,
      limits: { patientPerDay: 3, unconfirmedPatients: 4, windowMinutes: 60 },
      alerts: [{ rule: "unconfirmed-patients", refusals: 6, limit: 4 }],
      lift: null,
    });
  });

  it("audits every refusal under the patient's pseudonym", () => {
    const refused = stack.daemon.store
      .auditEntries(1, 10_000)
      .filter((e) => e.action === "proportionality.refused");
    expect(refused).toHaveLength(6);
    expect(refused[0]).toMatchObject({
      actor: "counter-1",
      role: "dispensing",
      detail: { rule: "unconfirmed-patients", opensAlert: true },
    });
    expect(JSON.stringify(refused)).not.toContain(patients[4]);
  });

  it("still serves the patients already being served, and a confirmed delivery frees a place", async () => {
    // A patient among the unconfirmed ones adds no new patient: another delivery date is allowed.
    expect((await consult(patients[0] as string, addDays(today, -1))).status).toBe(201);
    expect((await consult(patients[4] as string)).status).toBe(429);
    const confirmed = await stack.request("POST", `/v1/consultations/${ids[1]}/delivery`, { body: {} });
    expect(confirmed.status).toBe(200);
    expect((await consult(patients[4] as string)).status).toBe(201);
    expect((await consult(patients[5] as string)).status).toBe(429);
  });
});

describe("one patient asked about again and again", () => {
  it("is refused past the daily limit, while identical questions are answered from the cache", async () => {
    const niss = patients[0] as string; // consulted twice already today (today, today − 1)
    expect((await consult(niss, addDays(today, -2))).status).toBe(201);
    const calls = stack.demo.simulator.upstreamCalls();
    const fourth = await consult(niss, addDays(today, -3));
    expect(fourth.status).toBe(429);
    expect(fourth.json).toMatchObject({ code: "PROPORTIONALITY_LIMIT", rule: "patient-per-day", limit: 3 });
    // Cache hits are not MyCareNet consultations: neither counted nor refused.
    const cached = await consult(niss, addDays(today, -2));
    expect(cached.status).toBe(200);
    expect(cached.json.source).toBe("cache");
    expect(stack.demo.simulator.upstreamCalls()).toBe(calls);
  });
});

describe("the pharmacist lifts the block for the day", () => {
  it("is the pharmacist's decision, with a reason", async () => {
    const byCounter = await stack.request("POST", "/v1/proportionality/lift", { body: { reason: "please" } });
    expect(byCounter.json.code).toBe("ROLE_FORBIDDEN");
    const noReason = await stack.request("POST", "/v1/proportionality/lift", {
      token: stack.tokens.pharmacist,
      body: { reason: "  " },
    });
    expect(noReason.json.code).toBe("REQUEST_INVALID");
  });

  it("lets the refused consultations through, audited, until midnight", async () => {
    const res = await stack.request("POST", "/v1/proportionality/lift", {
      token: stack.tokens.pharmacist,
      body: { reason: "new patients registered from the nursing home" },
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      day: today,
      liftedBy: "pharmacist",
      reason: "new patients registered from the nursing home",
      status: "lifted",
    });
    const again = await stack.request("POST", "/v1/proportionality/lift", {
      token: stack.tokens.pharmacist,
      body: { reason: "twice" },
    });
    expect(again.status).toBe(200);
    expect(again.json.reason).toBe("new patients registered from the nursing home");

    const calls = stack.demo.simulator.upstreamCalls();
    expect((await consult(patients[5] as string)).status).toBe(201);
    expect((await consult(patients[0] as string, addDays(today, -3))).status).toBe(201);
    expect(stack.demo.simulator.upstreamCalls()).toBe(calls + 2);

    const lifted = stack.daemon.store
      .auditEntries(1, 10_000)
      .filter((e) => e.action === "proportionality.lifted");
    expect(lifted).toEqual([
      expect.objectContaining({
        actor: "pharmacist",
        role: "pharmacist",
        detail: { day: today, reason: "new patients registered from the nursing home" },
      }),
    ]);
    const health = (await stack.request("GET", "/v1/health", { token: null })).json;
    expect(health.proportionality.state).toBe("lifted");
    expect(await metrics()).toMatch(/mcn_proportionality_alert 0/);
  });
});
