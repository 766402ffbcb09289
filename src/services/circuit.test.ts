import { describe, expect, it } from "vitest";
import { Circuit, type CircuitState } from "./circuit.js";

const make = (threshold = 3) => {
  const changes: CircuitState[] = [];
  const circuit = new Circuit({ threshold, probeMs: 1000, clock: () => new Date("2026-03-02T10:00:00Z") });
  circuit.onChange((s) => changes.push(s));
  return { circuit, changes };
};

describe("Circuit", () => {
  it("opens after `threshold` outages in a row; an answer in between starts the count again", () => {
    const { circuit, changes } = make(3);
    circuit.recordOutage("timeout");
    circuit.recordOutage("timeout");
    circuit.recordAnswer();
    circuit.recordOutage("reset");
    circuit.recordOutage("reset");
    expect(circuit.isOpen).toBe(false);
    circuit.recordOutage("system-error");
    expect(circuit.isOpen).toBe(true);
    expect(changes).toEqual(["open"]);
    expect(circuit.snapshot()).toMatchObject({ state: "open", lastOutageKind: "system-error", opened: 1 });
  });

  it("closes on an answer, and tells its listeners", () => {
    const { circuit, changes } = make(1);
    circuit.recordOutage("timeout");
    circuit.recordAnswer();
    expect(changes).toEqual(["open", "closed"]);
    expect(circuit.everAnswered).toBe(true);
  });

  it("closes on probation after a reachability probe: the next outage opens it again at once", () => {
    const { circuit, changes } = make(3);
    for (let i = 0; i < 3; i++) circuit.recordOutage("connect-refused");
    circuit.recordReachable();
    expect(circuit.isOpen).toBe(false);
    expect(circuit.everAnswered).toBe(false);
    circuit.recordOutage("insurer-silent");
    expect(circuit.isOpen).toBe(true);
    expect(changes).toEqual(["open", "closed", "open"]);
  });

  it("ignores a reachability probe while closed", () => {
    const { circuit, changes } = make(3);
    circuit.recordOutage("timeout");
    circuit.recordReachable();
    circuit.recordOutage("timeout");
    expect(circuit.isOpen).toBe(false);
    expect(changes).toEqual([]);
  });
});

describe("Circuit half-open (issue 13)", () => {
  it("turns half-open after probeMs: the next consultation may try; its outage re-opens it", () => {
    let now = new Date("2026-03-02T10:00:00Z").getTime();
    const changes: string[] = [];
    const circuit = new Circuit({ threshold: 3, probeMs: 1000, clock: () => new Date(now) });
    circuit.onChange((s) => changes.push(s));
    for (let i = 0; i < 3; i++) circuit.recordOutage("reset");
    expect(circuit.admits()).toBe(false);
    now += 999;
    expect(circuit.admits()).toBe(false);
    now += 1;
    expect(circuit.admits()).toBe(true);
    expect(circuit.state).toBe("half-open");
    expect(circuit.isOpen).toBe(true);
    circuit.recordOutage("reset");
    expect(circuit.state).toBe("open");
    expect(circuit.admits()).toBe(false);
    now += 1000;
    expect(circuit.admits()).toBe(true);
    circuit.recordAnswer();
    expect(circuit.state).toBe("closed");
    expect(changes).toEqual(["open", "closed"]);
    expect(circuit.snapshot().opened).toBe(1);
  });
});
