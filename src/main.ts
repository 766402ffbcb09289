// Entry point: check the configuration (each problem on its own line), start, stop on signals.
import { loadConfig } from "./config/index.js";
import { startDaemon, loadPrincipals } from "./daemon.js";
import { ensureDemoTokens } from "./demo/tokens.js";
import { createLogger } from "./log.js";

const loaded = loadConfig(process.env);
if (!loaded.ok) {
  for (const p of loaded.problems) console.error(`mcn-rights: configuration: ${p}`);
  process.exit(1);
}
const config = loaded.config;
const logger = createLogger({ level: config.logLevel });

try {
  const tokensFile = config.tokensFile ?? ensureDemoTokens(config.dataDir, config.holder?.nihii).file;
  const demoTokens = config.env === "demo" ? ensureDemoTokens(config.dataDir) : undefined;
  const daemon = await startDaemon(config, { logger, principals: loadPrincipals(tokensFile) });
  const exposed = !["127.0.0.1", "::1", "localhost"].includes(config.listen.host);
  if (exposed)
    logger.warn(
      { host: config.listen.host },
      "listening beyond loopback without TLS: put a TLS proxy in front",
    );
  logger.info({ url: daemon.url, env: config.env }, "mcn-rights ready");
  if (demoTokens) {
    process.stdout.write(
      [
        "",
        `mcn-rights (demo) listens on ${daemon.url}`,
        `  dispensing token: ${demoTokens.dispensing}`,
        `  pharmacist token: ${demoTokens.pharmacist}`,
        `  try: curl -s ${daemon.url}/v1/niss/85.07.30-033.28 -H 'Authorization: Bearer ${demoTokens.dispensing}'`,
        "",
      ].join("\n") + "\n",
    );
  }
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, "stopping");
    daemon.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, "error while stopping");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
} catch (err) {
  logger.fatal({ err }, "cannot start");
  console.error(`mcn-rights: cannot start: ${(err as Error).message}`);
  process.exit(1);
}
