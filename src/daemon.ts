// Wires the daemon together from a checked configuration: logger, principals, the HTTP app.
// Nothing here listens until start() is called; tests build the same daemon on port 0.
import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import type { Config } from "./config/index.js";
import { buildApp } from "./http/app.js";
import { parseTokensFile, type Principals } from "./http/principals.js";
import { healthHandlers } from "./http/routes/health.js";
import { ruleHandlers } from "./http/routes/rules.js";
import type { Logger } from "./log.js";
import { VERSION } from "./version.js";

export interface Daemon {
  readonly app: FastifyInstance;
  readonly url: string;
  close(): Promise<void>;
}

export function loadPrincipals(file: string): Principals {
  const parsed = parseTokensFile(readFileSync(file, "utf8"));
  if (!parsed.ok) throw new Error(`MCN_TOKENS_FILE: ${parsed.problems.join("; ")}`);
  return parsed.principals;
}

export async function startDaemon(
  config: Config,
  deps: { logger: Logger; principals: Principals },
): Promise<Daemon> {
  const app = await buildApp({
    logger: deps.logger,
    principals: deps.principals,
    defaultLang: config.lang,
    handlers: {
      ...healthHandlers({
        health: () => ({
          status: "ok",
          version: VERSION,
          environment: config.env,
          mycarenet: { state: "unknown", since: null },
          sessions: { open: 0 },
        }),
      }),
      ...ruleHandlers(),
    },
  });
  await app.listen({ host: config.listen.host, port: config.listen.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.listen.port;
  const host = config.listen.host.includes(":") ? `[${config.listen.host}]` : config.listen.host;
  return { app, url: `http://${host}:${port}`, close: () => app.close() };
}
