// Entry point: check the configuration (each problem on its own line), start, stop on signals.
import { loadConfig, type Config } from "./config/index.js";
import { startDaemon, loadPrincipals, type Daemon } from "./daemon.js";
import { prepareDemo, type Demo } from "./demo/demo.js";
import { exposureWarning } from "./http/exposure.js";
import { createLogger } from "./log.js";
import { SCENARIO_NISS } from "./simulator/index.js";

const loaded = loadConfig(process.env);
if (!loaded.ok) {
  for (const p of loaded.problems) console.error(`mcn-rights: configuration: ${p}`);
  process.exit(1);
}
const logger = createLogger({ level: loaded.config.logLevel });
const startedAt = performance.now();

let demo: Demo | undefined;
let daemon: Daemon | undefined;
try {
  let config: Config = loaded.config;
  if (config.env === "demo") {
    demo = await prepareDemo(config);
    config = demo.config;
  }
  daemon = await startDaemon(config, { logger, principals: loadPrincipals(config.tokensFile as string) });
  const exposed = exposureWarning(config.listen.host);
  if (exposed) logger.warn({ host: config.listen.host }, exposed);
  if (demo) {
    const session = await daemon.sessions.open({ method: "personal-certificate" }, "demo");
    process.stdout.write(
      [
        "",
        `mcn-rights (demo) listens on ${daemon.url}; the MyCareNet simulator on ${demo.simulator.url}`,
        `  eHealth session open for ${session.user.name} until ${session.notOnOrAfter.toISOString()}`,
        `  pharmacist console: ${daemon.url}/ (paste the pharmacist token)`,
        `  dispensing token: ${demo.tokens.dispensing}`,
        `  pharmacist token: ${demo.tokens.pharmacist}   (tokens: ${demo.tokens.file})`,
        "  a consultation for a synthetic patient:",
        `    curl -s -X POST ${daemon.url}/v1/consultations -H 'Authorization: Bearer ${demo.tokens.dispensing}' \\`,
        `      -H 'Content-Type: application/json' -d '{"patient":{"niss":"${SCENARIO_NISS.ordinary}"},"reference":"demo-1"}'`,
        "",
      ].join("\n") + "\n",
    );
  }
  logger.info(
    { url: daemon.url, env: config.env, readyMs: Math.round(performance.now() - startedAt) },
    "mcn-rights ready",
  );
} catch (err) {
  logger.fatal({ err }, "cannot start");
  console.error(`mcn-rights: cannot start: ${(err as Error).message}`);
  await demo?.simulator.stop();
  process.exit(1);
}

let closing = false;
const stop = (signal: string): void => {
  if (closing) return;
  closing = true;
  logger.info({ signal }, "stopping");
  Promise.all([daemon?.close(), demo?.simulator.stop()]).then(
    () => process.exit(0),
    (err: unknown) => {
      logger.error({ err }, "error while stopping");
      process.exit(1);
    },
  );
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
