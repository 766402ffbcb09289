// Wires the daemon together from a checked configuration: keystores (loaded once), store,
// sessions, the consultation chain, the HTTP app. Nothing listens until start; tests build the
// same daemon on port 0 against the simulator.
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { ConsultationCache } from "./cache/index.js";
import type { Config } from "./config/index.js";
import type { Circuit } from "./services/circuit.js";
import { MyCareNetGateway } from "./services/gateway.js";
import { referenceSource } from "./consultation/reference.js";
import { Probe } from "./services/probe.js";
import { createReachability } from "./ehealth/insurability/reachability.js";
import { RecallRunner } from "./services/recall.js";
import { ConsultationService } from "./services/consultation.js";
import { createUpstream } from "./ehealth/insurability/client.js";
import type { ConsultationView } from "./consultation/document.js";
import { openPkcs11Signer } from "./ehealth/keys/pkcs11.js";
import { loadPkcs12 } from "./ehealth/keys/pkcs12.js";
import {
  certificateExpiries,
  expiringSoon,
  pemCertificates,
  type CertificateRole,
} from "./ehealth/keys/expiry.js";
import type { Signer } from "./ehealth/keys/signer.js";
import { SessionManager, type Session, type SessionOpening } from "./ehealth/sessions/manager.js";
import { sessionFile } from "./ehealth/sessions/session-file.js";
import { requestStsToken } from "./ehealth/sts/client.js";
import { createAgent } from "./ehealth/transport/agent.js";
import { ClockSkew } from "./ehealth/transport/clock-skew.js";
import { buildApp } from "./http/app.js";
import { loadContract, OPENAPI_PATH } from "./http/openapi.js";
import { createMetrics, observeStoreCommits, type Metrics } from "./http/metrics.js";
import { parseTokensFile, type Principals } from "./http/principals.js";
import { consoleHandlers } from "./http/routes/console.js";
import { consultationHandlers } from "./http/routes/consultations.js";
import { fallbackHandlers } from "./http/routes/fallback.js";
import { recallHandlers } from "./http/routes/recalls.js";
import { healthHandlers } from "./http/routes/health.js";
import { ruleHandlers } from "./http/routes/rules.js";
import { sessionHandlers, type SessionEvents } from "./http/routes/sessions.js";
import { mandateHandlers } from "./http/routes/mandates.js";
import { importHandlers } from "./http/routes/imports.js";
import { Mandates } from "./services/mandates.js";
import { ConsultationImports } from "./services/imports.js";
import type { Logger } from "./log.js";
import { createPurpose } from "./compose/purpose.js";
import { brusselsDay } from "./commitment/index.js";
import { retentionCutoff } from "./purpose/index.js";
import {
  AUDIT_KEY_FILE,
  DATABASE_FILE,
  loadOrCreateAuditKey,
  openStore,
  patientOfKey,
  type Store,
} from "./store/index.js";
import { VERSION } from "./version.js";

export interface Daemon {
  readonly app: FastifyInstance;
  /** Where it listens; empty until listen() resolves. */
  readonly url: string;
  readonly store: Store;
  readonly sessions: SessionManager;
  /** Opens a session and audits it, as POST /v1/sessions does (the demo's start session). */
  openSession(request: SessionOpening, by: string): Promise<Session>;
  readonly circuit: Circuit;
  readonly metrics: Metrics;
  /** Listens on config.listen, starts the daily purge and the recall of pending deliveries. */
  listen(): Promise<string>;
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

/** Builds and listens: what main.ts and the end-to-end tests run. */
export async function startDaemon(config: Config, deps: DaemonDeps): Promise<Daemon> {
  const daemon = await buildDaemon(config, deps);
  await daemon.listen();
  return daemon;
}

/**
 * Composes the daemon without listening: routes can be exercised with `app.inject`, and nothing
 * runs in the background until listen().
 */
export async function buildDaemon(config: Config, deps: DaemonDeps): Promise<Daemon> {
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
  const tlsCa = config.tlsCaFile ? readFileSync(config.tlsCaFile) : undefined;
  // eHealth refuses stale Timestamps: its answers' Date tells whether this clock drifted.
  const skew = new ClockSkew((alert, skewSeconds) =>
    alert
      ? logger.warn({ skewSeconds }, "this computer's clock differs from eHealth's by more than 60 s")
      : logger.info({ skewSeconds }, "this computer's clock agrees with eHealth's again"),
  );
  const agent = createAgent({
    keepAlive: true,
    ...(tlsCa ? { tlsCa } : {}),
    onServerDate: (date) => skew.observe(date, clock()),
  });
  // The certificates to watch for expiry (issue 15); the eID's is known once a card was used.
  const watched: Array<{ role: CertificateRole; der: Buffer }> = [
    { role: "organisation", der: organisation.certificateDer },
    ...(personal ? [{ role: "personal" as const, der: personal.certificateDer }] : []),
    { role: "sts", der: stsCertificateDer },
    ...(tlsCa
      ? pemCertificates(tlsCa.toString("utf8")).map((der) => ({ role: "tls-trust" as const, der }))
      : []),
  ];
  const watchEid = (signer: Signer): Signer => {
    const i = watched.findIndex((w) => w.role === "eid");
    const entry = { role: "eid" as const, der: signer.certificateDer };
    if (i === -1) watched.push(entry);
    else watched[i] = entry;
    return signer;
  };
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
          openEidSigner: async (pin: string | undefined) =>
            watchEid(
              await openPkcs11Signer({
                modulePath: pkcs11.module,
                tokenLabel: pkcs11.tokenLabel,
                ...(pin ? { pin } : {}),
              }),
            ),
        }
      : {}),
    requestToken: (identification, user) =>
      requestStsToken({
        url: stsUrl,
        ...(config.stsProtocol ? { door: config.stsProtocol } : {}),
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
  observeStoreCommits(metrics, () => store.commitStats());
  /** Sets the expiry gauges; returns the certificates expired or expiring within 30 days. */
  const watchCertificates = () => {
    const all = certificateExpiries(watched, clock());
    for (const e of all) metrics.certificateExpiry.set({ certificate: e.certificate }, e.daysLeft);
    return expiringSoon(all);
  };
  const auditUser = (s: Session) => ({
    nihii: s.user.nihii,
    ssin: store.patientPseudonym(`niss:${s.user.ssin}`),
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
  const gateway = new MyCareNetGateway({
    upstream,
    sessions,
    knownMutuality: (patientKey) => store.knownPatient(patientKey)?.mutuality,
    threshold: config.circuitThreshold,
    probeMs: config.probeMs,
    clock,
    logger,
    onInsurerChange: (insurer, state) => {
      metrics.insurerSilent.set({ insurer }, state === "open" ? 1 : 0);
      if (state === "open") probe.start();
      else recalls.kick("circuit-closed", { force: true });
    },
  });
  const circuit = gateway.platform;
  circuit.onChange((state) => {
    metrics.circuitOpen.set(state === "open" ? 1 : 0);
    logger.warn(
      { state },
      state === "open" ? "MyCareNet unreachable: answering from the fallback" : "MyCareNet answers again",
    );
  });
  const cache = new ConsultationCache<ConsultationView>({ ttlMs: config.cacheTtlMs, max: 10_000 });
  // SPEC §1.6: the guard, the pricing office, the purpose report, retention and the audit check.
  const purpose = createPurpose({ config, store, gateway, metrics, logger, clock });
  const consultations = new ConsultationService({
    gateway,
    store,
    cache,
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
    insurerOf: (recall) =>
      gateway.insurerOfQuestion({ patient: patientOfKey(recall.patientKey), patientKey: recall.patientKey }),
    onResolved: (recall, differences) => {
      metrics.recalls.inc({ status: recall.status });
      for (const difference of differences) metrics.recallDifferences.inc({ difference });
    },
    onRun: (run) => {
      if (run.rejected > 0) metrics.recalls.inc({ status: "rejected" }, run.rejected);
    },
  });
  const probe = new Probe({
    circuit: gateway,
    intervalMs: config.probeMs,
    recallOne: () => recalls.runOne(),
    reach: createReachability({ url: insurabilityUrl, timeoutMs: config.timeoutMs, agent }),
    logger,
    onProbe: (kind, result) => metrics.probes.inc({ kind, result }),
  });
  circuit.onChange((state) => {
    if (state === "open") probe.start();
    else if (gateway.anyOpen) return;
    else {
      probe.stop();
      recalls.kick("circuit-closed", { force: true });
    }
  });

  // SPEC §1.5, brochure §8.2.2.3: activity is traced to the pharmacist who opened the session,
  // whoever opens it (the API, or the demo's start): the SSIN under the audit trail's keyed
  // pseudonym, as patients' NISS are, and the NIHII (null when unknown, user.ts).
  const sessionEvents: SessionEvents = {
    opened: (s, by) => {
      store.appendAudit({
        actor: by,
        role: "pharmacist",
        action: "session.opened",
        detail: { session: s.id, method: s.method, user: auditUser(s) },
      });
      // Recalls waiting for a session (after a restart, or a session that ran out).
      recalls.kick("session-opened", { force: true });
    },
    closed: (s, by) =>
      store.appendAudit({
        actor: by,
        role: "pharmacist",
        action: "session.closed",
        detail: { session: s.id, user: auditUser(s) },
      }),
  };

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
          const { platform: snapshot, silentInsurers } = gateway.snapshot();
          const open = sessions.openCount;
          const proportionality = purpose.health();
          metrics.sessionsOpen.set(open);
          metrics.noSession.set(open === 0 ? 1 : 0);
          const certificates = watchCertificates();
          const clockState = skew.state();
          metrics.clockSkew.set(clockState.skewSeconds ?? 0);
          // brochure §9.3.1: no session open is a reason for the fallback, shown as an outage.
          const state =
            open === 0
              ? "no-session"
              : circuit.isOpen
                ? "unreachable"
                : circuit.everAnswered
                  ? "reachable"
                  : "unknown";
          return {
            status:
              circuit.isOpen ||
              open === 0 ||
              silentInsurers.length > 0 ||
              proportionality.state === "alert" ||
              clockState.alert
                ? "degraded"
                : "ok",
            version: VERSION,
            environment: config.env,
            mycarenet: {
              state,
              since: snapshot.since,
              silentInsurers,
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
            certificates: { expiring: certificates },
            clock: clockState,
          };
        },
      }),
      getMetrics: async (_request, reply) => {
        metrics.sessionsOpen.set(sessions.openCount);
        metrics.noSession.set(sessions.openCount === 0 ? 1 : 0);
        watchCertificates();
        metrics.clockSkew.set(skew.state().skewSeconds ?? 0);
        return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
      },
      ...ruleHandlers(),
      ...sessionHandlers(sessions, clock, sessionEvents),
      ...consultationHandlers({
        service: consultations,
        store,
        clock,
        // brochure §5.3 / SPEC §1.4: MyCareNet cannot be consulted (outage, or no usable session).
        mycarenetUnavailable: () => circuit.isOpen || sessions.openCount === 0,
        retentionStart: () => retentionCutoff(brusselsDay(clock()), config.retentionMonths),
      }),
      ...fallbackHandlers({
        store,
        clock,
        onAnswered: (view) => metrics.fallbackAnswers.inc({ outcome: view.outcome }),
      }),
      ...recallHandlers(store, recalls, clock),
      // SPEC §1.6: mandates, and results obtained elsewhere (no MyCareNet call).
      ...mandateHandlers(new Mandates({ store, sessions, holder, pharmacyNihii: pharmacy.nihii, clock })),
      ...importHandlers(
        new ConsultationImports({
          store,
          clock,
          newId: randomUUID,
          onRecorded: (view) => metrics.consultations.inc({ outcome: view.outcome, source: view.source }),
        }),
      ),
      ...purpose.handlers,
      // The pharmacist's console at / (static, no data; it calls the API above with a token).
      ...consoleHandlers(),
    },
  });
  let url = "";
  return {
    app,
    get url() {
      return url;
    },
    async listen() {
      purpose.start();
      await app.listen({ host: config.listen.host, port: config.listen.port });
      const address = app.server.address();
      const port = typeof address === "object" && address ? address.port : config.listen.port;
      const host = config.listen.host.includes(":") ? `[${config.listen.host}]` : config.listen.host;
      url = `http://${host}:${port}`;
      // Fallback deliveries left from before a restart are recalled as soon as possible.
      recalls.kick("start", { force: true });
      return url;
    },
    store,
    sessions,
    async openSession(request, by) {
      const session = await sessions.open(request, by);
      sessionEvents.opened(session, by);
      return session;
    },
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
