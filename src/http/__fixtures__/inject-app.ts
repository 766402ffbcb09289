// The HTTP app as the daemon builds it, on the use cases' small world (real temporary store,
// manual clock, a session already open, scripted MyCareNet), never listening: route tests
// drive it with `app.inject`. Defaults are the configuration's own (loadConfig of an empty
// environment), so nothing is tuned to make a test pass.
import type { FastifyInstance } from "fastify";
import { ConsultationCache } from "../../cache/index.js";
import { brusselsDay } from "../../commitment/index.js";
import { retentionCutoff } from "../../purpose/index.js";
import { createPurpose, type Purpose } from "../../compose/purpose.js";
import { loadConfig } from "../../config/index.js";
import type { ConsultationView } from "../../consultation/document.js";
import { ConsultationService } from "../../services/consultation.js";
import { RecallRunner } from "../../services/recall.js";
import { sequentialIds } from "../../store/__fixtures__/store-fixture.js";
import { ScriptedUpstream } from "../../services/__fixtures__/scripted-upstream.js";
import { gatewayOf, OFFICE, world, type World } from "../../services/__fixtures__/world.js";
import { buildApp, type Handlers } from "../app.js";
import { loadContract } from "../openapi.js";
import { createMetrics } from "../metrics.js";
import { Principals } from "../principals.js";
import { consultationHandlers } from "../routes/consultations.js";
import { fallbackHandlers } from "../routes/fallback.js";
import { recallHandlers } from "../routes/recalls.js";
import { ruleHandlers } from "../routes/rules.js";
import { sessionHandlers } from "../routes/sessions.js";

export const TOKENS = {
  dispensing: "dispensing-token-0001",
  pharmacist: "pharmacist-token-0001",
  office: "pricing-office-token-1",
  admin: "admin-token-000000001",
} as const;

export const as = (who: keyof typeof TOKENS) => ({ authorization: `Bearer ${TOKENS[who]}` });

export interface InjectApp {
  readonly app: FastifyInstance;
  readonly w: World;
  readonly upstream: ScriptedUpstream;
  readonly purpose: Purpose;
  readonly recalls: RecallRunner;
  close(): Promise<void>;
}

export async function injectApp(iso = "2025-03-10T09:30:00Z"): Promise<InjectApp> {
  const loaded = loadConfig({});
  if (!loaded.ok) throw new Error(loaded.problems.join("; "));
  const config = loaded.config;
  const w = world(iso);
  const upstream = new ScriptedUpstream();
  const clock = w.clock.now;
  const metrics = createMetrics({ defaultMetrics: false });
  const gateway = gatewayOf(w, upstream);
  const purpose = createPurpose({
    config,
    store: w.store,
    gateway,
    metrics,
    logger: w.logger,
    clock,
  });
  const consultations = new ConsultationService({
    gateway,
    store: w.store,
    cache: new ConsultationCache<ConsultationView>({ ttlMs: config.cacheTtlMs }),
    clock,
    newId: sequentialIds("consultation"),
    guard: purpose.guard.check,
  });
  const recalls = new RecallRunner({
    store: w.store,
    service: consultations,
    clock,
    logger: w.logger,
    minIntervalMs: config.probeMs,
  });
  // Operations not wired here (health, metrics, console) answer 500 if a test reaches them.
  const unused: Handlers = Object.fromEntries(
    [...loadContract().operations.keys()].map((id) => [
      id,
      () => Promise.reject(new Error(`${id}: not wired`)),
    ]),
  );
  const app = await buildApp({
    logger: w.logger,
    principals: new Principals([
      { token: TOKENS.dispensing, principal: { name: "counter-1", role: "dispensing" } },
      {
        token: TOKENS.pharmacist,
        principal: { name: "pharmacist-1", role: "pharmacist", nihii: "12345678001" },
      },
      // A mandatary: it consults only once a test records a mandate (recordMandate, issue 16).
      { token: TOKENS.office, principal: OFFICE },
      { token: TOKENS.admin, principal: { name: "admin", role: "admin" } },
    ]),
    handlers: {
      ...unused,
      ...ruleHandlers(),
      ...sessionHandlers(w.sessions, clock),
      ...consultationHandlers({
        service: consultations,
        store: w.store,
        clock,
        mycarenetUnavailable: () => w.circuit.isOpen || w.sessions.openCount === 0,
        retentionStart: () => retentionCutoff(brusselsDay(clock()), config.retentionMonths),
      }),
      ...fallbackHandlers({ store: w.store, clock }),
      ...recallHandlers(w.store, recalls, clock),
      ...purpose.handlers,
    },
  });
  return {
    app,
    w,
    upstream,
    purpose,
    recalls,
    async close() {
      await app.close();
      await recalls.close();
      purpose.close();
      w.close();
    },
  };
}
