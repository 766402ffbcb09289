// Fault injection as data (SPEC §3; STYLE: misbehaving loopback peers). A plan says, for the
// whole platform ("all") or one insurer (national union), what goes wrong; it can be replaced
// at run time (the control API, tests). Each kind, as the simulator acts it out:
//   latencyMs       every answer waits that long first (alone: slow but working)
//   down            all: the listener closes, connections are refused (ECONNREFUSED) until the
//                   plan changes; one insurer: the socket is closed without a byte once the
//                   request was read (the platform cannot refuse per insurer before routing)
//   reset           headers and half the answer are sent, then the connection is reset
//   slow            no answer at all, the socket stays open (beyond any client timeout)
//   system-error    SOAP fault soa:SystemError, `code` SOA-02001 (default) or SOA-02002
//   malformed       HTTP 200 with a truncated, unparseable envelope
//   unavailable     HTTP 503 with an HTML page, no SOAP at all: what a load balancer or a
//                   maintenance page in front of the platform (or of one insurer) answers
//   insurer-silent  the platform answers in time, with the "insurer-unavailable" ReturnCode
//                   (09/01, an outage in return-codes.ts) and no coverage: the insurer itself
//                   did not answer the platform; the choice of a return code over a fault keeps
//                   "eHealth is down" and "one insurer is silent" apart for the daemon
//   expired-token   all only: every assertion is refused as expired (SOA-01001)
//   wrong-key       all or sts: the STS signs its assertions with a key that is not its own
//   rate + seed     intermittent: only that share of requests fails, chosen deterministically
//                   from the seed and the request's rank
// "all" and the insurers concern the insurability service (and "down" for all, the whole
// listener: the network is gone). The STS has its own scope, "sts" (down, reset, slow,
// system-error, malformed, wrong-key, latency), so that a session can be opened and then the
// consultations broken, or the other way round.
import { createHash } from "node:crypto";
import type { NationalUnion } from "../identifiers/index.js";
import { fail, ok } from "../result.js";
import type { Result } from "../result.js";

export const FAULT_KINDS = [
  "down",
  "reset",
  "slow",
  "system-error",
  "malformed",
  "insurer-silent",
  "expired-token",
  "wrong-key",
  "unavailable",
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** Which kinds each scope accepts. */
const KINDS_FOR: Readonly<Record<"all" | "sts" | "insurer", readonly FaultKind[]>> = {
  all: FAULT_KINDS,
  sts: ["down", "reset", "slow", "system-error", "malformed", "wrong-key"],
  insurer: ["down", "reset", "slow", "system-error", "malformed", "insurer-silent", "unavailable"],
};

export const INSURER_SCOPES = ["100", "200", "300", "400", "500", "600", "900"] as const;
export type InsurerScope = (typeof INSURER_SCOPES)[number];

export interface FaultRule {
  kind?: FaultKind;
  latencyMs?: number;
  /** Share of requests that fail, 0–1 (default 1: all of them). */
  rate?: number;
  /** Seed of the intermittent choice (default 0). */
  seed?: number;
  /** For system-error. */
  code?: "SOA-02001" | "SOA-02002";
}

export interface FaultPlan {
  all?: FaultRule;
  sts?: FaultRule;
  insurers?: Partial<Record<InsurerScope, FaultRule>>;
}

/** What to do with one request at one stage: wait `latencyMs`, then fail with `kind` if set. */
export interface FaultDecision {
  latencyMs: number;
  kind?: FaultKind;
  code?: "SOA-02001" | "SOA-02002";
}

export interface Faults {
  plan(): FaultPlan;
  set(plan: FaultPlan): void;
  clear(): void;
  /** Decides for a request at the platform's door ("all"), at the STS, or once routed to an insurer. */
  decide(stage: "all" | "sts" | NationalUnion): FaultDecision;
  /** True while the whole platform is down (the listener must be closed). */
  refusing(): boolean;
  /** Called after every change of plan. */
  onChange(listener: (plan: FaultPlan) => void): () => void;
}

export function createFaults(initial: FaultPlan = {}): Faults {
  let plan = clone(initial);
  const counters = new Map<string, number>();
  const listeners = new Set<(plan: FaultPlan) => void>();
  const changed = (): void => {
    counters.clear();
    for (const listener of listeners) listener(clone(plan));
  };
  return {
    plan: () => clone(plan),
    set(next) {
      const checked = parseFaultPlan(next);
      if (!checked.ok) throw new TypeError(`invalid fault plan: ${String(checked.detail?.["reason"])}`);
      plan = checked.value;
      changed();
    },
    clear() {
      plan = {};
      changed();
    },
    decide(stage) {
      const key = String(stage);
      const rule =
        stage === "all" ? plan.all : stage === "sts" ? plan.sts : plan.insurers?.[key as InsurerScope];
      if (rule === undefined) return { latencyMs: 0 };
      const rank = counters.get(key) ?? 0;
      counters.set(key, rank + 1);
      const decision: FaultDecision = { latencyMs: rule.latencyMs ?? 0 };
      if (rule.kind !== undefined && fires(rule, rank)) {
        decision.kind = rule.kind;
        if (rule.code !== undefined) decision.code = rule.code;
      }
      return decision;
    },
    refusing: () => plan.all?.kind === "down" && (plan.all.rate ?? 1) >= 1,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

// Deterministic from (seed, rank): the same plan gives the same sequence of failures.
function fires(rule: FaultRule, rank: number): boolean {
  const rate = rule.rate ?? 1;
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  const h = createHash("sha256")
    .update(`${rule.seed ?? 0}:${rank}`)
    .digest();
  return h.readUInt32BE(0) / 0x1_0000_0000 < rate;
}

/** Checks a plan from outside (the control API's JSON); `detail.reason` says what is wrong. */
export function parseFaultPlan(input: unknown): Result<FaultPlan, "REQUEST_INVALID"> {
  const bad = (reason: string) => fail("REQUEST_INVALID" as const, { reason });
  if (!isObject(input)) return bad("the plan is a JSON object");
  const unknownKey = Object.keys(input).find((k) => k !== "all" && k !== "sts" && k !== "insurers");
  if (unknownKey !== undefined) return bad(`unknown key ${unknownKey}`);
  const plan: FaultPlan = {};
  for (const scope of ["all", "sts"] as const) {
    if (input[scope] === undefined) continue;
    const rule = parseRule(input[scope], scope, KINDS_FOR[scope]);
    if (typeof rule === "string") return bad(rule);
    plan[scope] = rule;
  }
  if (input["insurers"] !== undefined) {
    const insurers = input["insurers"];
    if (!isObject(insurers)) return bad("insurers is an object keyed by national union");
    plan.insurers = {};
    for (const [scope, value] of Object.entries(insurers)) {
      if (!(INSURER_SCOPES as readonly string[]).includes(scope)) return bad(`unknown insurer ${scope}`);
      const rule = parseRule(value, scope, KINDS_FOR.insurer);
      if (typeof rule === "string") return bad(rule);
      plan.insurers[scope as InsurerScope] = rule;
    }
  }
  return ok(plan);
}

function parseRule(input: unknown, scope: string, kinds: readonly FaultKind[]): FaultRule | string {
  if (!isObject(input)) return `${scope}: a rule is an object`;
  const rule: FaultRule = {};
  for (const [key, value] of Object.entries(input)) {
    switch (key) {
      case "kind":
        if (!(FAULT_KINDS as readonly unknown[]).includes(value)) return `${scope}: unknown kind`;
        if (!kinds.includes(value as FaultKind)) return `${scope}: ${String(value)} does not apply here`;
        rule.kind = value as FaultKind;
        break;
      case "latencyMs":
        if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
          return `${scope}: latencyMs ≥ 0`;
        rule.latencyMs = value;
        break;
      case "rate":
        if (typeof value !== "number" || !(value >= 0 && value <= 1))
          return `${scope}: rate is between 0 and 1`;
        rule.rate = value;
        break;
      case "seed":
        if (typeof value !== "number" || !Number.isInteger(value)) return `${scope}: seed is an integer`;
        rule.seed = value;
        break;
      case "code":
        if (value !== "SOA-02001" && value !== "SOA-02002") return `${scope}: code is SOA-02001 or SOA-02002`;
        rule.code = value;
        break;
      default:
        return `${scope}: unknown key ${key}`;
    }
  }
  return rule;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const clone = (plan: FaultPlan): FaultPlan => JSON.parse(JSON.stringify(plan)) as FaultPlan;
