// The standalone simulator's settings (`node dist/simulator/main.js`), read from the variables
// it is given: every bad one reported on its own line, like the daemon's config.
import { resolve } from "node:path";
import type { SimulatorOptions } from "./server.js";

export const DEFAULT_SIMULATOR_PORT = 8751;

export function simulatorSettings(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): { ok: true; options: SimulatorOptions } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!/^[0-9]+$/.test(raw) || value < min || value > max) {
      problems.push(`${name}: must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const flag = (name: string, fallback = false): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    if (raw === "0" || raw === "false") return false;
    if (raw === "1" || raw === "true") return true;
    problems.push(`${name}: must be true or false (got "${raw}")`);
    return false;
  };

  const port = integer("MCN_SIM_PORT", DEFAULT_SIMULATOR_PORT, 0, 65535);
  // The control API also listens on its own port, so that "down" can be lifted from outside.
  const controlPort = integer("MCN_SIM_CONTROL_PORT", port === 0 ? 0 : port + 1, 0, 65535);
  const options: SimulatorOptions = {
    port,
    controlPort,
    host: "127.0.0.1",
    dataDir: resolve(cwd, env["MCN_DATA_DIR"] || "data", "simulator"),
    seed: integer("MCN_SIM_SEED", 1, 0, 2 ** 31 - 1),
    strict: flag("MCN_SIM_STRICT"),
    // Every insurability payload is checked against the XSD and counted (stats); off only for
    // load benchmarks, where one xmllint process per message would be measured too.
    checkXsd: flag("MCN_SIM_XSD_CHECK", true),
    stsLifetimeSeconds: integer("MCN_SIM_STS_LIFETIME_SECONDS", 12 * 3600, 1, 7 * 24 * 3600),
    populationSize: integer("MCN_SIM_POPULATION", 1000, 0, 1_000_000),
  };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, options };
}
