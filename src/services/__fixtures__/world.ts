// The small world a use case runs in for its beside test: a real SQLite store in a temporary
// directory, a manual clock, a real SessionManager holding one open session, the circuit at the
// daemon's default threshold, and a logger whose lines the test can read. MyCareNet is the
// scripted upstream (./scripted-upstream.ts).
import { generateKeyPairSync } from "node:crypto";
import { Writable } from "node:stream";
import { addDays, brusselsDay } from "../../commitment/index.js";
import { DEFAULTS } from "../../config/index.js";
import { MemorySigner } from "../../ehealth/keys/memory.js";
import { SessionManager, type Session } from "../../ehealth/sessions/manager.js";
import { createLogger, type Logger } from "../../log.js";
import { ManualClock, open, sequentialIds, TempDir } from "../../store/__fixtures__/store-fixture.js";
import type { Store } from "../../store/store.js";
import { Circuit } from "../circuit.js";
import { MyCareNetGateway } from "../gateway.js";
import type { Principal } from "../../actors.js";
import type { Mandate, MandataryRef, MandateTerms } from "../../purpose/mandate.js";
import { ConsultationCache } from "../../cache/index.js";
import type { ConsultationView } from "../../consultation/document.js";
import type { Upstream } from "../../ehealth/insurability/client.js";
import { ConsultationService, type ConsultDeps } from "../consultation.js";

export const COUNTER: Principal = { name: "counter-1", role: "dispensing" };
export const PHARMACIST: Principal = { name: "pharmacist-1", role: "pharmacist", nihii: "12345678001" };
/** The pricing office acts as the mandatary of a company (its BCE number, brochure §8.2.2.5). */
export const OFFICE_MANDATARY: MandataryRef = { kind: "company", id: "0403170701" };
export const OFFICE: Principal = { name: "office-1", role: "pricing-office", mandatary: OFFICE_MANDATARY };

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
/** Never used to sign here: sessions are opened beforehand; the manager only needs one. */
const ORGANISATION = new MemorySigner(privateKey, Buffer.alloc(0));

export function openSession(clock: ManualClock, over: Partial<Session> = {}): Session {
  const now = clock.now();
  const end = new Date(now.getTime() + 12 * 3600_000);
  return {
    id: "session-1",
    method: "personal-certificate",
    user: { name: "Anne Pharmacienne", nihii: "12345678001", ssin: "85073003328" },
    createdAt: now,
    notOnOrAfter: end,
    openedBy: PHARMACIST.name,
    token: { assertionXml: "<saml:Assertion/>", assertionId: "a-1", notBefore: now, notOnOrAfter: end },
    ...over,
  };
}

/** A real SessionManager with the given sessions already open (as after a restart). */
export function sessionsWith(clock: ManualClock, ...open: Session[]): SessionManager {
  return new SessionManager({
    organisation: ORGANISATION,
    holder: { nihii: "12345678001", ssin: "85073003328", name: "Pharmacie Test" },
    requestToken: () => Promise.reject(new Error("no STS in this test")),
    clock: clock.now,
    newId: sequentialIds("session"),
    persistence: { load: () => open, save: () => undefined },
  });
}

export interface World {
  readonly dir: TempDir;
  readonly clock: ManualClock;
  readonly store: Store;
  readonly sessions: SessionManager;
  readonly circuit: Circuit;
  readonly logger: Logger;
  /** Every log line written so far, parsed. */
  logLines(): Array<Record<string, unknown>>;
  close(): void;
}

export function world(iso = "2025-03-10T09:30:00Z", options: { session?: boolean } = {}): World {
  const dir = new TempDir();
  const clock = new ManualClock(iso);
  const store = open(dir.file(), { now: clock.now, newId: sequentialIds("row") });
  const sessions = options.session === false ? sessionsWith(clock) : sessionsWith(clock, openSession(clock));
  const circuit = new Circuit({
    threshold: DEFAULTS.circuitThreshold,
    probeMs: DEFAULTS.probeMs,
    clock: clock.now,
  });
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const logger = createLogger({ destination: sink });
  return {
    dir,
    clock,
    store,
    sessions,
    circuit,
    logger,
    logLines: () =>
      lines
        .flatMap((l) => l.split("\n").filter(Boolean))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    close() {
      store.close();
      dir.remove();
    },
  };
}

/**
 * The real consultation service of a world, asking `upstream`. No memory between questions
 * unless the test passes a `cache`: each test says what MyCareNet answers to every question.
 */
export function consultationService(
  w: World,
  upstream: Upstream,
  over: Partial<ConsultDeps> = {},
): ConsultationService {
  return new ConsultationService({
    gateway: gatewayOf(w, upstream),
    store: w.store,
    cache: new ConsultationCache<ConsultationView>({ ttlMs: 0 }),
    clock: w.clock.now,
    newId: sequentialIds("consultation"),
    ...over,
  });
}

/** The MyCareNet gateway of a world over `upstream`, at the default thresholds, on the world's circuit. */
export function gatewayOf(w: World, upstream: Upstream): MyCareNetGateway {
  return new MyCareNetGateway({
    upstream,
    sessions: w.sessions,
    knownMutuality: (patientKey) => w.store.knownPatient(patientKey)?.mutuality,
    threshold: DEFAULTS.circuitThreshold,
    probeMs: DEFAULTS.probeMs,
    clock: w.clock.now,
    logger: w.logger,
    platform: w.circuit,
  });
}

/**
 * A mandate on record as the titular pharmacist gives it (SPEC §1.6, brochure §8.2.2.5): for the
 * pricing office's mandatary, insurability, from the world's day for 30 days, unless overridden.
 * Written straight to the store: the rules of giving one are services/mandates.ts's own tests'.
 */
export function recordMandate(w: World, over: Partial<MandateTerms> = {}): Mandate {
  const today = brusselsDay(w.clock.now());
  return w.store.mandates.give(
    {
      mandatary: { ...OFFICE_MANDATARY, name: "Office de tarification" },
      service: "insurability",
      validFrom: today,
      validUntil: addDays(today, 30),
      reference: "MAND-1",
      ...over,
    },
    PHARMACIST,
    w.clock.now(),
    () => undefined,
  );
}
