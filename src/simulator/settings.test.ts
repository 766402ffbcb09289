import { describe, expect, it } from "vitest";
import { simulatorSettings } from "./settings.js";

describe("simulatorSettings", () => {
  it("defaults: port 8751, control 8752, seed 1, strict off, data under ./data/simulator", () => {
    const s = simulatorSettings({}, "/srv");
    expect(s).toEqual({
      ok: true,
      options: expect.objectContaining({
        port: 8751,
        controlPort: 8752,
        seed: 1,
        strict: false,
        checkXsd: true,
        dataDir: "/srv/data/simulator",
      }),
    });
  });

  it("reads the variables", () => {
    const s = simulatorSettings(
      {
        MCN_SIM_PORT: "0",
        MCN_SIM_SEED: "42",
        MCN_DATA_DIR: "/var/mcn",
        MCN_SIM_STRICT: "true",
        MCN_SIM_POPULATION: "10",
        MCN_SIM_XSD_CHECK: "0",
      },
      "/srv",
    );
    expect(s).toEqual({
      ok: true,
      options: expect.objectContaining({
        port: 0,
        controlPort: 0,
        seed: 42,
        strict: true,
        checkXsd: false,
        dataDir: "/var/mcn/simulator",
        populationSize: 10,
      }),
    });
  });

  it("names every bad variable on its own line", () => {
    const s = simulatorSettings({ MCN_SIM_PORT: "80a", MCN_SIM_SEED: "-1", MCN_SIM_STRICT: "yes" }, "/");
    expect(s.ok).toBe(false);
    if (!s.ok)
      expect(s.problems.map((p) => p.split(":")[0])).toEqual([
        "MCN_SIM_PORT",
        "MCN_SIM_SEED",
        "MCN_SIM_STRICT",
      ]);
  });
});
