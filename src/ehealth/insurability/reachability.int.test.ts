// The reachability probe against the simulator on loopback, for each way its door can be shut.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testPki } from "../../../tests/support/pki.js";
import { createAgent } from "../transport/agent.js";
import type { FaultPlan } from "../../simulator/faults.js";
import { startSimulator, type Simulator } from "../../simulator/server.js";
import { createReachability, type Reach } from "./reachability.js";

const dataDir = mkdtempSync(join(tmpdir(), "mcn-reach-"));
const agent = createAgent({ keepAlive: true });
let sim: Simulator;
let reach: () => Promise<Reach>;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, dataDir, seed: 3, strict: true, pki: testPki(), populationSize: 10 });
  reach = createReachability({ url: sim.insurabilityUrl, timeoutMs: 300, agent });
});
afterAll(async () => {
  agent.destroy();
  await sim.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("createReachability", () => {
  it.each<[string, FaultPlan, Reach]>([
    ["no fault", {}, { reachable: true }],
    // The platform is there: the silent insurer is only found by a real consultation (a recall).
    ["every insurer silent", { all: { kind: "insurer-silent" } }, { reachable: true }],
    ["platform down", { all: { kind: "down" } }, { reachable: false, kind: "connect-refused" }],
    // No SOAP message, so no SOAP fault: a system error is only found by a real consultation.
    ["system error", { all: { kind: "system-error" } }, { reachable: true }],
    ["hanging", { all: { kind: "slow" } }, { reachable: false, kind: "timeout" }],
    ["reset", { all: { kind: "reset" } }, { reachable: false, kind: "reset" }],
    ["maintenance page", { all: { kind: "unavailable" } }, { reachable: false, kind: "http-status" }],
  ])("%s", async (_name, plan, expected) => {
    sim.faults.set(plan);
    await sim.settled();
    expect(await reach()).toEqual(expected);
  });

  it("sends no SOAP message: the simulator counts probes, no consultation, nothing invalid", async () => {
    sim.faults.set({});
    await fetch(`${sim.controlUrl}/_control/stats`, { method: "DELETE" });
    expect(await reach()).toEqual({ reachable: true });
    const stats = await sim.stats();
    expect(stats).toMatchObject({ probes: 1, consultations: 0, invalidMessages: { total: 0 } });
  });
});
