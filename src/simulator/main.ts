// `node dist/simulator/main.js`: the MyCareNet simulator on its own (SPEC §3), for demos and for
// a daemon pointed at it with MCN_STS_URL / MCN_INSURABILITY_URL. Settings in settings.ts.
import { simulatorSettings } from "./settings.js";
import { SIMULATOR_LICENCE, startSimulator } from "./server.js";

async function main(): Promise<number> {
  const settings = simulatorSettings(process.env, process.cwd());
  if (!settings.ok) {
    for (const problem of settings.problems) process.stderr.write(`${problem}\n`);
    return 2;
  }
  const sim = await startSimulator(settings.options);
  process.stdout.write(
    [
      `MyCareNet simulator (seed ${settings.options.seed}, ${sim.population.people.length} people, strict ${settings.options.strict})`,
      `  STS            ${sim.stsUrl}`,
      `  STS legacy     ${sim.stsLegacyUrl}`,
      `  insurability   ${sim.insurabilityUrl}`,
      `  control API    ${sim.controlUrl}/_control/ (faults, population/scenarios, stats)`,
      `  test PKI       ${sim.pki.dir}`,
      `  package licence user "${SIMULATOR_LICENCE.username}"`,
      "",
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await sim.stop();
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `simulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
