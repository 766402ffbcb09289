// A clock that drifts from eHealth's (issue 15): the HTTP Date of the simulator's answers is its
// real time, the daemon's clock is set two minutes ahead; health says so and clears once the
// clocks agree again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCENARIO_NISS } from "../../src/simulator/index.js";
import { startStack, type Stack } from "../support/stack.js";

let stack: Stack;
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);

beforeAll(async () => {
  stack = await startStack({ clock });
});
afterAll(() => stack.stop());

const health = async () => (await stack.request("GET", "/v1/health", { token: null })).json;
// A different patient each time: a repeated question is answered from the cache, not by MyCareNet.
const consult = (reference: string, niss: string) =>
  stack.request("POST", "/v1/consultations", { body: { patient: { niss }, reference } });

describe("the clock against eHealth's", () => {
  it("raises the alert beyond 60 s and clears it when the clocks agree", async () => {
    await consult("skew-0", SCENARIO_NISS.ordinary);
    expect((await health()).clock).toMatchObject({ alert: false });
    offsetMs = 120_000;
    await consult("skew-1", SCENARIO_NISS.preferential);
    const drifted = await health();
    expect(drifted.clock.alert).toBe(true);
    expect(drifted.clock.skewSeconds).toBeGreaterThan(60);
    expect(drifted.status).toBe("degraded");
    const metrics = (await stack.request("GET", "/metrics", { token: null })).body as string;
    expect(metrics).toMatch(/mcn_clock_skew_seconds 1[12]\d/);
    offsetMs = 0;
    await consult("skew-2", SCENARIO_NISS.transfer);
    expect((await health()).clock).toMatchObject({ alert: false, since: null });
  });
});
