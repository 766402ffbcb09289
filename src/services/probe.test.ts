import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../log.js";
import { Circuit } from "./circuit.js";
import { Probe } from "./probe.js";
import type { Reach } from "../ehealth/insurability/reachability.js";

const logger = createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setup(recall: Array<"answered" | "outage" | "nothing">, reach: Reach[]) {
  const circuit = new Circuit({ threshold: 1, probeMs: 10, clock: () => new Date() });
  const seen: string[] = [];
  const probe = new Probe({
    circuit,
    intervalMs: 10,
    logger,
    recallOne: async () => {
      const r = recall.shift() ?? "nothing";
      seen.push(`recall:${r}`);
      if (r === "answered") circuit.recordAnswer();
      return r;
    },
    reach: async () => {
      const r = reach.shift() ?? { reachable: false, kind: "timeout" };
      seen.push(`reach:${r.reachable}`);
      return r;
    },
    onProbe: (kind, result) => seen.push(`${kind}=${result}`),
  });
  circuit.onChange((state) => (state === "open" ? probe.start() : probe.stop()));
  return { circuit, probe, seen };
}

describe("Probe", () => {
  it("recalls first, and stops once a recall is answered", async () => {
    const { circuit, probe, seen } = setup(["outage", "answered"], []);
    circuit.recordOutage("timeout");
    for (let i = 0; i < 100 && circuit.isOpen; i++) await sleep(5);
    expect(circuit.isOpen).toBe(false);
    await sleep(40);
    expect(seen).toEqual(["recall:outage", "recall=outage", "recall:answered", "recall=answer"]);
    expect(probe.active).toBe(false);
    await probe.close();
  });

  it("checks reachability when there is nothing to recall, and closes on probation", async () => {
    const { circuit, probe, seen } = setup(
      [],
      [{ reachable: false, kind: "connect-refused" }, { reachable: true }],
    );
    circuit.recordOutage("connect-refused");
    for (let i = 0; i < 100 && circuit.isOpen; i++) await sleep(5);
    expect(circuit.isOpen).toBe(false);
    expect(seen).toEqual([
      "recall:nothing",
      "reach:false",
      "reachability=outage",
      "recall:nothing",
      "reach:true",
      "reachability=answer",
    ]);
    expect(circuit.snapshot().lastOutageKind).toBe("connect-refused");
    await probe.close();
  });

  it("never probes again once closed, even with the circuit open", async () => {
    const { circuit, probe, seen } = setup([], []);
    await probe.close();
    circuit.recordOutage("timeout");
    await sleep(40);
    expect(seen).toEqual([]);
    expect(probe.active).toBe(false);
  });
});
