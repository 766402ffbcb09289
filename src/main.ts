// Entry point: check the configuration (each problem on its own line), start, stop on signals.
import { loadConfig, resolveConfig, type Config } from "./config/index.js";
import { startDaemon, loadPrincipals, type Daemon } from "./daemon.js";
import type { Demo } from "./demo/demo.js";
import { exposureWarning } from "./http/exposure.js";
import { createLogger } from "./log.js";
import { preflight } from "./compose/preflight.js";

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
  let config: Config;
  // Only demo mode loads the demo and its simulator: a production start imports neither.
  const demoModule = loaded.config.env === "demo" ? await import("./demo/demo.js") : undefined;
  if (demoModule) {
    demo = await demoModule.prepareDemo(loaded.config);
    config = demo.config;
  } else {
    const resolved = resolveConfig(loaded.config);
    if (!resolved.ok) throw new Error(resolved.problems.join("; "));
    config = resolved.config;
  }
  const problems = preflight(config);
  if (problems.length > 0) {
    for (const p of problems) console.error(`mcn-rights: configuration: ${p}`);
    await demo?.simulator.stop();
    process.exit(1);
  }
  daemon = await startDaemon(config, { logger, principals: loadPrincipals(config.tokensFile) });
  const exposed = exposureWarning(config.listen.host);
  if (exposed) logger.warn({ host: config.listen.host }, exposed);
  if (demo) {
    const session = await daemon.openSession({ method: "personal-certificate" }, "demo");
    process.stdout.write(
      [
        "",
        `mcn-rights (demo) listens on ${daemon.url}; the MyCareNet simulator on ${demo.simulator.url}`,
        `  eHealth session open for ${session.user.name} until ${session.notOnOrAfter.toISOString()} (${session.method})`,
        ...(demo.eidHint ? [`  ${demo.eidHint}`] : []),
        `  pharmacist console: ${daemon.url}/ (paste the pharmacist token)`,
        `  dispensing token: ${demo.tokens.dispensing}`,
        `  pharmacist token: ${demo.tokens.pharmacist}   (tokens: ${demo.tokens.file})`,
        "  a consultation for a synthetic patient:",
        `    curl -s -X POST ${daemon.url}/v1/consultations -H 'Authorization: Bearer ${demo.tokens.dispensing}' \\`,
        `      -H 'Content-Type: application/json' -d '{"patient":{"niss":"${demoModule?.SCENARIO_NISS.ordinary}"},"reference":"demo-1"}'`,
        "",
      ].join("\n") + "\n",
    );
  }
  logger.info(
    { url: daemon.url, env: config.env, readyMs: Math.round(performance.now() - startedAt) },
    "mcn-rights ready",
  );
} catch (err) {
  // One line for the person starting it; the stack only at debug level (MCN_LOG_LEVEL=debug).
  const why = startFailure(err);
  logger.debug({ err }, "cannot start");
  logger.fatal({ error: why }, "cannot start");
  console.error(`mcn-rights: cannot start: ${why}`);
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

function startFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") {
    return `${message}: another program (an mcn-rights already running?) listens there; stop it or set MCN_LISTEN to another port`;
  }
  return message;
}
