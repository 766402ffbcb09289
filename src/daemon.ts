// Wires the daemon together from a checked configuration: keystores (loaded once), store,
// sessions, the consultation chain, the HTTP app. Nothing listens until start; tests build the
// same daemon on port 0 against the simulator.
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { ConsultationCache } from "./cache/index.js";
import type { Config } from "./config/index.js";
import { Circuit } from "./consult/circuit.js";
import { referenceSource } from "./consult/reference.js";
import { Probe } from "./consult/probe.js";
import { createReachability } from "./consult/reachability.js";
import { RecallRunner } from "./consult/recall.js";
import { ConsultationService } from "./consult/service.js";
import { createUpstream } from "./consult/upstream.js";
import type { ConsultationView } from "./consult/view.js";
import { openPkcs11Signer } from "./ehealth/keys/pkcs11.js";
import { loadPkcs12 } from "./ehealth/keys/pkcs12.js";
import type { Signer } from "./ehealth/keys/signer.js";
import { SessionManager } from "./ehealth/sessions/manager.js";
import { sessionFile } from "./ehealth/sessions/session-file.js";
import { requestStsToken } from "./ehealth/sts/client.js";
import { createAgent } from "./ehealth/transport/agent.js";
import { buildApp } from "./http/app.js";
import { loadContract, OPENAPI_PATH } from "./http/openapi.js";
import { createMetrics, type Metrics } from "./http/metrics.js";
import { parseTokensFile, type Principals } from "./http/principals.js";
import { consoleHandlers } from "./http/routes/console.js";
import { consultationHandlers } from "./http/routes/consultations.js";
import { fallbackHandlers } from "./http/routes/fallback.js";
import { recallHandlers } from "./http/routes/recalls.js";
import { healthHandlers } from "./http/routes/health.js";
import { ruleHandlers } from "./http/routes/rules.js";
import { sessionHandlers } from "./http/routes/sessions.js";
import type { Logger } from "./log.js";
import { createPurpose } from "./purpose/index.js";
import { AUDIT_KEY_FILE, DATABASE_FILE, loadOrCreateAuditKey, openStore, type Store } from "./store/index.js";
import { VERSION } from "./version.js";

export interface Daemon {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly store: Store;
  readonly sessions: SessionManager;
  readonly circuit: Circuit;
  readonly metrics: Metrics;
  close(): Promise<void>;
}

export interface DaemonDeps {
  readonly logger: Logger;
  readonly principals: Principals;
  readonly clock?: () => Date;
  /** Prometheus process metrics (off in tests that build many daemons). */
  readonly defaultMetrics?: boolean;
}

export function loadPrincipals(file: string): Principals {
  const parsed = parseTokensFile(readFileSync(file, "utf8"));
  if (!parsed.ok) throw new Error(`MCN_TOKENS_FILE: ${parsed.problems.join("; ")}`);
  return parsed.principals;
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`${name}: not configured`);
  return value;
}

function pemToDer(pem: string): Buffer {
  const b64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, "").replace(/\s+/g, "");
  return Buffer.from(b64, "base64");
}

export async function startDaemon(config: Config, deps: DaemonDeps): Promise<Daemon> {
  const clock = deps.clock ?? (() => new Date());
  const { logger } = deps;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });

  // node-forge PKCS#12 loading is slow and synchronous: once, here, never per request.
  const orgKeystore = required(config.orgKeystore, "MCN_ORG_KEYSTORE");
  const organisation = loadPkcs12(orgKeystore.file, orgKeystore.password);
  const personal: Signer | undefined = config.personalKeystore
    ? loadPkcs12(config.personalKeystore.file, config.personalKeystore.password)
    : undefined;
  const stsCertificateDer = pemToDer(readFileSync(required(config.stsCertFile, "MCN_STS_CERT"), "utf8"));
  const agent = createAgent({
    keepAlive: true,
    ...(config.tlsCaFile ? { tlsCa: readFileSync(config.tlsCaFile) } : {}),
  });
  const holder = required(config.holder, "MCN_HOLDER_*");
  const pharmacy = required(config.pharmacy, "MCN_PHARMACY_*");
  const stsUrl = required(config.stsUrl, "MCN_STS_URL");
  const pkcs11 = config.pkcs11;

  const sessions = new SessionManager({
    organisation,
    holder,
    ...(personal ? { personal } : {}),
    ...(pkcs11
      ? {
          openEidSigner: (pin: string | undefined) =>
            openPkcs11Signer({
              modulePath: pkcs11.module,
              tokenLabel: pkcs11.tokenLabel,
              ...(pin ? { pin } : {}),
            }),
        }
      : {}),
    requestToken: (identification, user) =>
      requestStsToken({
        url: stsUrl,
        identification,
        holderOfKey: organisation,
        holder: { ssin: holder.ssin },
        user,
        pharmacy: { nihii: pharmacy.nihii },
        lifetimeHours: 12,
        stsCertificateDer,
        timeoutMs: Math.max(config.timeoutMs, 10_000),
        agent,
        now: clock(),
      }),
    clock,
    newId: randomUUID,
    persistence: sessionFile(join(config.dataDir, "sessions.json")),
  });

  const store = openStore(join(config.dataDir, DATABASE_FILE), {
    auditKey: loadOrCreateAuditKey(join(config.dataDir, AUDIT_KEY_FILE)),
    now: clock,
  });
  const metrics = createMetrics({ defaultMetrics: deps.defaultMetrics ?? true });
  const circuit = new Circuit({ threshold: config.circuitThreshold, probeMs: config.probeMs, clock });
  circuit.onChange((state) => {
    metrics.circuitOpen.set(state === "open" ? 1 : 0);
    logger.warn(
      { state },
      state === "open" ? "MyCareNet unreachable: answering from the fallback" : "MyCareNet answers again",
    );
  });
  const insurabilityUrl = required(config.insurabilityUrl, "MCN_INSURABILITY_URL");
  const upstream = createUpstream({
    url: insurabilityUrl,
    timeoutMs: config.timeoutMs,
    agent,
    organisation,
    pharmacy,
    holder,
    package: required(config.package, "MCN_PACKAGE_*"),
    isTest: config.env !== "production",
    newReference: referenceSource(clock),
    clock,
  });
  const cache = new ConsultationCache<ConsultationView>({ ttlMs: config.cacheTtlMs, max: 10_000 });
  // SPEC §1.6: the guard, the pricing office, the purpose report, retention and the audit check.
  const purpose = createPurpose({ config, store, sessions, upstream, circuit, metrics, logger, clock });
  const consultations = new ConsultationService({
    sessions,
    upstream,
    store,
    cache,
    circuit,
    clock,
    newId: randomUUID,
    guard: purpose.guard.check,
    onOutcome: (view, outage) => {
      metrics.consultations.inc({ outcome: view.outcome, source: "online" });
      if (outage) metrics.outages.inc({ kind: outage });
      // Recalls queued by an outage too short to open the circuit, or before a restart.
      else if (view.outcome === "online") recalls.kick("online-answer");
    },
  });

  // SPEC §1.4, brochure §9.3.5: recalls, and the probe that finds MyCareNet back while the
  // circuit is open; closing the circuit starts the recall run.
  const recalls = new RecallRunner({
    store,
    service: consultations,
    clock,
    logger,
    minIntervalMs: config.probeMs,
    onResolved: (recall, differences) => {
      metrics.recalls.inc({ status: recall.status });
      for (const difference of differences) metrics.recallDifferences.inc({ difference });
    },
    onRun: (run) => {
      if (run.rejected > 0) metrics.recalls.inc({ status: "rejected" }, run.rejected);
    },
  });
  const probe = new Probe({
    circuit,
    intervalMs: config.probeMs,
    recallOne: () => recalls.runOne(),
    reach: createReachability({ url: insurabilityUrl, timeoutMs: config.timeoutMs, agent }),
    logger,
    onProbe: (kind, result) => metrics.probes.inc({ kind, result }),
  });
  circuit.onChange((state) => {
    if (state === "open") probe.start();
    else {
      probe.stop();
      recalls.kick("circuit-closed", { force: true });
    }
  });

  const app = await buildApp({
    logger,
    // The parsed openapi.yaml is kept in the data directory: a start reads JSON, not YAML.
    contract: loadContract(OPENAPI_PATH, { cacheDir: config.dataDir }),
    principals: deps.principals,
    defaultLang: config.lang,
    onProblem: (code) => metrics.problems.inc({ code }),
    handlers: {
      ...healthHandlers({
        health: () => {
          const snapshot = circuit.snapshot();
          const open = sessions.openCount;
          const proportionality = purpose.health();
          metrics.sessionsOpen.set(open);
          return {
            status: circuit.isOpen || proportionality.state === "alert" ? "degraded" : "ok",
            version: VERSION,
            environment: config.env,
            mycarenet: {
              state: circuit.isOpen ? "unreachable" : circuit.everAnswered ? "reachable" : "unknown",
              since: snapshot.since,
              circuit: {
                state: snapshot.state,
                consecutiveOutages: snapshot.consecutiveOutages,
                lastOutage: snapshot.lastOutage,
                lastOutageKind: snapshot.lastOutageKind,
                opened: snapshot.opened,
              },
            },
            recalls: {
              pending: store.pendingRecalls().length,
              discrepanciesOpen: store.listRecalls({ status: "discrepancy", handled: false }).length,
            },
            sessions: { open },
            proportionality,
          };
        },
      }),
      getMetrics: async (_request, reply) => {
        metrics.sessionsOpen.set(sessions.openCount);
        return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
      },
      ...ruleHandlers(),
      ...sessionHandlers(sessions, clock, {
        opened: (s, by) => {
          store.appendAudit({
            actor: by,
            role: "pharmacist",
            action: "session.opened",
            detail: { session: s.id, method: s.method },
          });
          // Recalls waiting for a session (after a restart, or a session that ran out).
          recalls.kick("session-opened", { force: true });
        },
        closed: (s, by) =>
          store.appendAudit({
            actor: by,
            role: "pharmacist",
            action: "session.closed",
            detail: { session: s.id },
          }),
      }),
      ...consultationHandlers(consultations, store, clock),
      ...fallbackHandlers({
        store,
        clock,
        onAnswered: (view) => metrics.fallbackAnswers.inc({ outcome: view.outcome }),
      }),
      ...recallHandlers(store, recalls, clock),
      ...purpose.handlers,
      // The pharmacist's console at / (static, no data; it calls the API above with a token).
      ...consoleHandlers(),
    },
  });
  purpose.start();
  await app.listen({ host: config.listen.host, port: config.listen.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.listen.port;
  const host = config.listen.host.includes(":") ? `[${config.listen.host}]` : config.listen.host;
  // Fallback deliveries left from before a restart are recalled as soon as possible.
  recalls.kick("start", { force: true });
  return {
    app,
    url: `http://${host}:${port}`,
    store,
    sessions,
    circuit,
    metrics,
    async close() {
      await app.close();
      await probe.close();
      await recalls.close();
      purpose.close();
      agent.destroy();
      store.close();
      await organisation.close();
      if (personal) await personal.close();
    },
  };
}
