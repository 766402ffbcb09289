// The MyCareNet simulator's HTTP server (SPEC §3): node:http on loopback, routes by path (the
// SOAPAction header is optional, as with the official connectors; protocol notes §1.2), a JSON
// control API, and the transport faults of faults.ts acted out on real sockets.
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { brusselsDay } from "./oracle/index.js";
import type { Day } from "./oracle/index.js";
import { buildSoaFault, FAULT_HTTP_STATUS, SOA } from "../ehealth/insurability/index.js";
import type { SoaEnvironment } from "../ehealth/insurability/index.js";
import { ensureDemoPki, SOFTHSM_MODULE, type DemoPki } from "./pki/index.js";
import { control, CONTROL_PREFIX } from "./control.js";
import { createFaults } from "./faults.js";
import type { FaultPlan, Faults } from "./faults.js";
import { createListener } from "./http-listener.js";
import type { Listener } from "./http-listener.js";
import { createInsurabilityEndpoint, INSURABILITY_PATH } from "./insurability-endpoint.js";
import { createPopulation } from "./population.js";
import { createStats } from "./stats.js";
import type { StatsSnapshot } from "./stats.js";
import type { Population } from "./population.js";
import { certificateDerOf, mountSts, STS_PATH, WS_TRUST_STS_PATH } from "./sts-mount.js";
import type { StsHandle } from "./sts-mount.js";
import { outcomeOf as stsOutcomeOf } from "./sts/stats.js";
import type { SoapEndpoint, SoapReply } from "./soap-endpoint.js";
import { defaultXsdDir } from "./xsd.js";

/** The licence the simulator accepts unless told otherwise (demo mode sends it). */
export const SIMULATOR_LICENCE = Object.freeze({ username: "mcn-rights-demo", password: "demo-licence" });

const MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface SimulatorOptions {
  /** 0 (the default) = an ephemeral port. */
  port?: number;
  host?: string;
  /** A second listener serving only the control API, which stays up while the platform is "down". */
  controlPort?: number;
  /** The test PKI goes to `<dataDir>/pki` unless `pki` is given. */
  dataDir: string;
  seed: number;
  strict: boolean;
  /** Validate every insurability payload against the XSD and count it (default: only in strict mode, which
   * refuses what fails; the embedded demo spawns no xmllint per consultation). */
  checkXsd?: boolean;
  stsLifetimeSeconds?: number;
  pki?: DemoPki;
  populationSize?: number;
  /** The population's reference day (default: today in Brussels). */
  today?: Day;
  now?: () => Date;
  xsdDir?: string;
  licence?: { username: string; password: string };
  faults?: FaultPlan;
  environment?: SoaEnvironment;
}

export interface Simulator {
  url: string;
  /** The STS's WS-Trust door, the default (SPEC §2). */
  stsUrl: string;
  /** The STS's legacy SAML-P door. */
  stsLegacyUrl: string;
  insurabilityUrl: string;
  /** Where the control API answers even while the platform is down (`url` when no controlPort). */
  controlUrl: string;
  population: Population;
  faults: Faults;
  pki: DemoPki;
  /** The STS endpoint's configuration object, when the STS exposes one (wrong-key, lifetime). */
  sts: StsHandle;
  /** Requests that reached /Insurability/v2 (tests check the daemon's cache and fallback). */
  upstreamCalls(): number;
  /** What `GET /_control/stats` counts (stats.ts), once pending XSD checks are in. */
  stats(): Promise<StatsSnapshot>;
  /** Resolves once the listener matches the fault plan (closed while "down", open otherwise). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const host = options.host ?? "127.0.0.1";
  const now = options.now ?? (() => new Date());
  // Without SoftHSM2 the PKI has no eID: the simulator itself never needs it.
  const pki = options.pki ?? (await ensureDemoPki(join(options.dataDir, "pki"), SOFTHSM_MODULE)).pki;
  const population = createPopulation(options.seed, options.today ?? brusselsDay(now()), {
    ...(options.populationSize === undefined ? {} : { size: options.populationSize }),
  });
  const faults = createFaults(options.faults);
  const shutdown = new AbortController();
  const counters = { insurability: 0, sts: 0 };
  const stats = createStats();
  const environment = options.environment ?? "Simulation";

  const xsdDir = options.xsdDir ?? defaultXsdDir();
  const sts = mountSts({
    pki,
    now,
    lifetimeSeconds: options.stsLifetimeSeconds ?? 12 * 3600,
    faults,
    strict: options.strict,
    xsdDir,
    signal: shutdown.signal,
  });
  const insurability = createInsurabilityEndpoint({
    population,
    seed: options.seed,
    faults,
    stsCertificateDer: certificateDerOf(pki.sts.certPem),
    licence: options.licence ?? SIMULATOR_LICENCE,
    strict: options.strict,
    checkXsd: options.checkXsd ?? options.strict,
    xsdDir,
    now,
    environment,
    signal: shutdown.signal,
    onCall: () => (counters.insurability += 1),
    stats,
  });
  // Both doors in the stats, by what the answer says (a samlp:Requester refusal is HTTP 200).
  const counted =
    (door: SoapEndpoint): SoapEndpoint =>
    async (request) => {
      counters.sts += 1;
      const reply = await door(request);
      const outcome = stsOutcomeOf(reply);
      stats.sts(outcome === "issued" || outcome === "challenged" ? outcome : "refused");
      return reply;
    };
  const endpoints = new Map<string, SoapEndpoint>([
    [INSURABILITY_PATH, insurability],
    [STS_PATH, counted(sts.endpoint)],
    [WS_TRUST_STS_PATH, counted(sts.wsTrust)],
  ]);
  const controlContext = {
    faults,
    population,
    resetStats: () => stats.reset(),
    stats: async () => ({
      ...(await stats.snapshot()),
      insurabilityCalls: counters.insurability,
      stsCalls: counters.sts,
      stsDoors: sts.counters.snapshot(),
      seed: options.seed,
      today: population.today,
      people: population.people.length,
      strict: options.strict,
      faults: faults.plan(),
    }),
  };

  const handle = (soap: boolean) => (req: IncomingMessage, res: ServerResponse) => {
    readBody(req)
      .then(async (body) => {
        const path = (req.url ?? "/").split("?")[0] ?? "/";
        if (path.startsWith(CONTROL_PREFIX)) {
          const reply = await control(req.method ?? "GET", path, body ?? "", controlContext);
          res.writeHead(reply.status, { "content-type": "application/json" });
          res.end(JSON.stringify(reply.json), () => reply.after?.());
          return;
        }
        const endpoint = soap ? endpoints.get(path) : undefined;
        if (endpoint === undefined) return plain(res, 404, "not found");
        if (path === INSURABILITY_PATH && (req.method === "HEAD" || req.method === "GET")) {
          stats.probe();
          return probe(res, faults, shutdown.signal);
        }
        if (req.method !== "POST") return plain(res, 405, "POST only");
        if (body === undefined) return plain(res, 413, "too large");
        await send(res, await endpoint({ path, body, headers: req.headers }));
      })
      .catch(() => {
        // Stopping aborts pending latencies; anything else is a simulator bug: answer with the
        // generic SOA fault rather than leave the client hanging.
        if (shutdown.signal.aborted || res.headersSent) return void res.socket?.destroy();
        res.writeHead(FAULT_HTTP_STATUS, { "content-type": "text/xml; charset=UTF-8" });
        res.end(
          buildSoaFault({
            kind: "system",
            code: SOA.undefinedError,
            message: "Unexpected error",
            environment,
          }),
        );
      });
  };

  const main = createListener(host, options.port ?? 0, handle(true));
  await main.listen();
  let controlListener: Listener | undefined;
  if (options.controlPort !== undefined) {
    controlListener = createListener(host, options.controlPort, handle(false));
    await controlListener.listen();
  }

  // "down" for everyone: the listener itself goes away, so connections are refused.
  let transition: Promise<void> = faults.refusing() ? main.shut() : Promise.resolve();
  const unsubscribe = faults.onChange(() => {
    transition = transition
      .then(() => (faults.refusing() ? main.shut() : main.listen()))
      .catch(() => undefined);
  });

  const url = `http://${host}:${main.port}`;
  return {
    url,
    stsUrl: `${url}${WS_TRUST_STS_PATH}`,
    stsLegacyUrl: `${url}${STS_PATH}`,
    insurabilityUrl: `${url}${INSURABILITY_PATH}`,
    controlUrl: controlListener === undefined ? url : `http://${host}:${controlListener.port}`,
    population,
    faults,
    pki,
    sts,
    upstreamCalls: () => counters.insurability,
    stats: () => stats.snapshot(),
    settled: () => transition,
    async stop() {
      unsubscribe();
      shutdown.abort();
      await transition;
      await Promise.all([main.shut(), controlListener?.shut()]);
    },
  };
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

// The service path without a SOAP message (issue 13 §2: the daemon's connection-level check):
// 200 and no consultation, unless the platform's door fails for everyone (faults.probe()).
async function probe(res: ServerResponse, faults: Faults, signal: AbortSignal): Promise<void> {
  const d = faults.probe();
  if (d.latencyMs > 0) await sleep(d.latencyMs, undefined, { signal });
  switch (d.kind) {
    case "slow":
      return;
    case "down":
    case "reset":
      res.socket?.resetAndDestroy();
      return;
    case "unavailable":
      res.writeHead(503, { "content-type": "text/html; charset=UTF-8" });
      res.end("<html><body><h1>Service Unavailable</h1></body></html>");
      return;
    default:
      plain(res, 200, "Insurability v2: POST a GetInsurabilityForPharmacistRequest");
  }
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=UTF-8" });
  res.end(text);
}

async function send(res: ServerResponse, reply: SoapReply): Promise<void> {
  const body = Buffer.from(reply.body, "utf8");
  switch (reply.transport) {
    case "drop":
      res.socket?.destroy();
      return;
    case "hang":
      // Nothing is ever written; the socket goes when the client gives up or the simulator stops.
      return;
    case "reset": {
      res.writeHead(reply.status, {
        "content-type": reply.contentType ?? "text/xml; charset=UTF-8",
        "content-length": String(body.length),
      });
      await new Promise<void>((resolve) =>
        res.write(body.subarray(0, Math.floor(body.length / 2)), () => resolve()),
      );
      // TCP RST, not a clean FIN: the client sees ECONNRESET in the middle of the body.
      res.socket?.resetAndDestroy();
      return;
    }
    case undefined:
      res.writeHead(reply.status, {
        "content-type": reply.contentType ?? "text/xml; charset=UTF-8",
        "content-length": String(body.length),
      });
      res.end(body);
  }
}
