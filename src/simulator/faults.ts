// Fault injection as data (SPEC §3; STYLE: misbehaving loopback peers). A plan says, for the
// whole platform ("all") or one insurer (national union), what goes wrong; it can be replaced
// at run time (the control API, tests). Each kind, as the simulator acts it out:
//   latencyMs       the insurability answer leaves that long after its question arrived, the
//                   simulator's own work included (MyCareNet's answer time); the STS and the
//                   probe wait that long first (alone: slow but working)
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
//                   (oracle/return-codes.ts) and no coverage: the insurer itself
//                   did not answer the platform; the choice of a return code over a fault keeps
//                   "eHealth is down" and "one insurer is silent" apart for the daemon
//   expired-token   all only: every assertion is refused as expired (SOA-01001)
//   wrong-key       all or sts: the STS signs its assertions with a key that is not its own
//   insurer-silent  (`silence: "timeout"`) the same insurer never answers: the socket stays open
//   unknown-code    the answer carries a code the simulator's table does not hold, of `family`
//                   success (01/01/40000, with Coverage), no-right (02/04/40040), input
//                   (03/03/00099), platform (09/02/00000), other (05/01/00000); `returnCode`
//                   "MM/mm/DDDDD" sets it exactly, `coverage` true/false forces Coverage (and
//                   the payment commitment) present or absent
//   long-period     an insured answer whose coverage ends after the rule's start + 30 days
//                   (brochure §5.2): `period` "start-plus-60" (default) or "right-end"
//   mismatched-echo the answer echoes another question: `echo` "reference" (RecordCommonOutput
//                   Reference), "requested" (the date) or "ssin" (CareReceiver)
//   refuse          a SOAP fault refusing the request, `code` SOA-01002 (default) or SOA-03007
//   rate + seed     intermittent: only that share of requests fails, chosen deterministically
//                   from the seed and the request's rank
// Filters: `patients` (NISS) and `mutualities` (3-digit codes, the question's or any of the
// patient's) restrict a rule to the requests they match; such a rule is decided once the
// question is read, after the session checks. A scope ("all", one insurer) takes one rule or a
// list, of which the first that matches applies (its rate then decides whether it fires).
// "all" and the insurers concern the insurability service (and "down" for all, the whole
// listener: the network is gone). The STS has its own scope, "sts" (down, reset, slow,
// system-error, malformed, wrong-key, latency), so that a session can be opened and then the
// consultations broken, or the other way round.
import { createHash } from "node:crypto";
import type { Union } from "./oracle/index.js";
import { parseCode, UNKNOWN_CODE_FAMILIES } from "./oracle/index.js";
import type { UnknownCodeFamily } from "./oracle/index.js";
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
  "unknown-code",
  "long-period",
  "mismatched-echo",
  "refuse",
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** Kinds that change the answer rather than the transport; acted out once the answer is built. */
export const ANSWER_KINDS: readonly FaultKind[] = ["unknown-code", "long-period", "mismatched-echo"];

/** Which kinds each scope accepts. */
const KINDS_FOR: Readonly<Record<"all" | "sts" | "insurer", readonly FaultKind[]>> = {
  all: FAULT_KINDS,
  sts: ["down", "reset", "slow", "system-error", "malformed", "wrong-key"],
  insurer: [
    "down",
    "reset",
    "slow",
    "system-error",
    "malformed",
    "insurer-silent",
    "unavailable",
    "unknown-code",
    "long-period",
    "mismatched-echo",
    "refuse",
  ],
};

// Kinds that make no sense for one patient: the token and the STS key concern the session.
const UNFILTERED: readonly FaultKind[] = ["expired-token", "wrong-key"];

export const INSURER_SCOPES = ["100", "200", "300", "400", "500", "600", "900"] as const;
export type InsurerScope = (typeof INSURER_SCOPES)[number];

export type SystemErrorCode = "SOA-02001" | "SOA-02002";
export type RefusalCode = "SOA-01002" | "SOA-03007";
const SYSTEM_ERROR_CODES: readonly string[] = ["SOA-02001", "SOA-02002"];
const REFUSAL_CODES: readonly string[] = ["SOA-01002", "SOA-03007"];

export type LongPeriod = "start-plus-60" | "right-end";
export type EchoField = "reference" | "requested" | "ssin";
export type Silence = "code" | "timeout";

/** What a rule may say beyond its kind (each with its kind only). */
export interface FaultOptions {
  /** system-error: SOA-02001 (default) or SOA-02002; refuse: SOA-01002 (default) or SOA-03007. */
  code?: SystemErrorCode | RefusalCode;
  family?: UnknownCodeFamily;
  /** unknown-code: "MM/mm/DDDDD", instead of the family's code. */
  returnCode?: string;
  coverage?: boolean;
  period?: LongPeriod;
  echo?: EchoField;
  silence?: Silence;
}

export interface FaultRule extends FaultOptions {
  kind?: FaultKind;
  latencyMs?: number;
  /** Share of requests that fail, 0–1 (default 1: all of them). */
  rate?: number;
  /** Seed of the intermittent choice (default 0). */
  seed?: number;
  /** Only the requests about these patients (NISS). */
  patients?: string[];
  /** Only the requests about patients of these mutualities. */
  mutualities?: string[];
}

export type FaultRules = FaultRule | FaultRule[];

export interface FaultPlan {
  all?: FaultRules;
  sts?: FaultRule;
  insurers?: Partial<Record<InsurerScope, FaultRules>>;
}

/** What to do with one request at one stage: wait `latencyMs`, then fail with `kind` if set. */
export interface FaultDecision extends FaultOptions {
  latencyMs: number;
  kind?: FaultKind;
}

/** What the filters are matched against, once the question is read. */
export interface PatientFacts {
  niss?: string;
  mutualities: readonly string[];
}

export interface Faults {
  plan(): FaultPlan;
  set(plan: FaultPlan): void;
  clear(): void;
  /**
   * Decides for a request at the platform's door ("all", rules without filters), at the STS, or
   * once routed to an insurer. With `patient`: for "all", the rules with filters that match it;
   * for an insurer, its first rule that matches.
   */
  decide(stage: "all" | "sts" | Union, patient?: PatientFacts, plan?: number): FaultDecision;
  /**
   * The plan in force, as a number a request keeps from its arrival. Passed back to `decide`: a
   * request that waited (latency) across a change of plan is decided as unfaulted and takes no
   * rank, so that it never shifts the sequence of the plan set after it arrived.
   */
  generation(): number;
  /** The door's rule as a connection-level probe meets it (no rank taken). */
  probe(): FaultDecision;
  /** True while the whole platform is down (the listener must be closed). */
  refusing(): boolean;
  /** Called after every change of plan. */
  onChange(listener: (plan: FaultPlan) => void): () => void;
}

export const rulesOf = (rules: FaultRules | undefined): FaultRule[] =>
  rules === undefined ? [] : Array.isArray(rules) ? rules : [rules];

const filtered = (rule: FaultRule): boolean => rule.patients !== undefined || rule.mutualities !== undefined;

function matches(rule: FaultRule, patient: PatientFacts): boolean {
  if (rule.patients !== undefined && (patient.niss === undefined || !rule.patients.includes(patient.niss)))
    return false;
  if (rule.mutualities !== undefined && !patient.mutualities.some((m) => rule.mutualities?.includes(m)))
    return false;
  return true;
}

const OPTION_KEYS = ["code", "family", "returnCode", "coverage", "period", "echo", "silence"] as const;

function decisionOf(rule: FaultRule, firing: boolean): FaultDecision {
  const decision: FaultDecision = { latencyMs: rule.latencyMs ?? 0 };
  if (rule.kind === undefined || !firing) return decision;
  decision.kind = rule.kind;
  for (const key of OPTION_KEYS) {
    if (rule[key] !== undefined) Object.assign(decision, { [key]: rule[key] });
  }
  return decision;
}

export function createFaults(initial: FaultPlan = {}): Faults {
  let plan = clone(initial);
  const counters = new Map<string, number>();
  let generation = 0;
  const listeners = new Set<(plan: FaultPlan) => void>();
  const changed = (): void => {
    counters.clear();
    generation++;
    for (const listener of listeners) listener(clone(plan));
  };
  const scope = (stage: "all" | "sts" | Union): FaultRule[] =>
    stage === "all"
      ? rulesOf(plan.all)
      : stage === "sts"
        ? rulesOf(plan.sts)
        : rulesOf(plan.insurers?.[String(stage) as InsurerScope]);
  const door = (): FaultRule | undefined => rulesOf(plan.all).find((r) => !filtered(r));
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
    generation: () => generation,
    decide(stage, patient, arrivedUnder) {
      if (arrivedUnder !== undefined && arrivedUnder !== generation) return { latencyMs: 0 };
      const rules = scope(stage);
      const index = rules.findIndex((rule) =>
        patient === undefined
          ? !filtered(rule)
          : stage === "all"
            ? filtered(rule) && matches(rule, patient)
            : matches(rule, patient),
      );
      const rule = rules[index];
      if (rule === undefined) return { latencyMs: 0 };
      const key = `${String(stage)}#${index}`;
      const rank = counters.get(key) ?? 0;
      counters.set(key, rank + 1);
      return decisionOf(rule, fires(rule, rank));
    },
    probe() {
      const rule = door();
      return rule === undefined ? { latencyMs: 0 } : decisionOf(rule, (rule.rate ?? 1) >= 1);
    },
    refusing() {
      const rule = door();
      return rule?.kind === "down" && (rule.rate ?? 1) >= 1;
    },
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
  if (input["all"] !== undefined) {
    const rules = parseRules(input["all"], "all", KINDS_FOR.all);
    if (typeof rules === "string") return bad(rules);
    plan.all = rules;
  }
  if (input["sts"] !== undefined) {
    const rule = parseRule(input["sts"], "sts", KINDS_FOR.sts);
    if (typeof rule === "string") return bad(rule);
    if (filtered(rule)) return bad("sts: no patients or mutualities for the STS");
    plan.sts = rule;
  }
  if (input["insurers"] !== undefined) {
    const insurers = input["insurers"];
    if (!isObject(insurers)) return bad("insurers is an object keyed by national union");
    plan.insurers = {};
    for (const [scope, value] of Object.entries(insurers)) {
      if (!(INSURER_SCOPES as readonly string[]).includes(scope)) return bad(`unknown insurer ${scope}`);
      const rules = parseRules(value, scope, KINDS_FOR.insurer);
      if (typeof rules === "string") return bad(rules);
      plan.insurers[scope as InsurerScope] = rules;
    }
  }
  return ok(plan);
}

function parseRules(input: unknown, scope: string, kinds: readonly FaultKind[]): FaultRules | string {
  if (!Array.isArray(input)) return parseRule(input, scope, kinds);
  if (input.length === 0) return `${scope}: a list holds at least one rule`;
  const rules: FaultRule[] = [];
  for (const item of input) {
    const rule = parseRule(item, scope, kinds);
    if (typeof rule === "string") return rule;
    rules.push(rule);
  }
  return rules;
}

// Which option each kind takes (and no other).
const OPTIONS_OF: Partial<Record<FaultKind, readonly (typeof OPTION_KEYS)[number][]>> = {
  "system-error": ["code"],
  refuse: ["code"],
  "unknown-code": ["family", "returnCode", "coverage"],
  "long-period": ["period"],
  "mismatched-echo": ["echo"],
  "insurer-silent": ["silence"],
};

function parseRule(input: unknown, scope: string, kinds: readonly FaultKind[]): FaultRule | string {
  if (!isObject(input)) return `${scope}: a rule is an object`;
  const rule: FaultRule = {};
  // Each value check returns the value or a message: `bad` carries the message out of the switch.
  let bad: string | undefined;
  const oneOf = <T extends string>(value: unknown, allowed: readonly T[], key: string): T => {
    if ((allowed as readonly unknown[]).includes(value)) return value as T;
    bad = `${scope}: ${key} is one of ${allowed.join(", ")}`;
    return allowed[0] as T;
  };
  const digitsList = (value: unknown, digits: number, message: string): string[] => {
    const re = new RegExp(`^\\d{${digits}}$`);
    if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string" && re.test(v)))
      return [...(value as string[])];
    bad = `${scope}: ${message}`;
    return [];
  };
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
        if (typeof value !== "string" || ![...SYSTEM_ERROR_CODES, ...REFUSAL_CODES].includes(value))
          return `${scope}: code is SOA-02001 or SOA-02002 (system-error), SOA-01002 or SOA-03007 (refuse)`;
        rule.code = value as SystemErrorCode | RefusalCode;
        break;
      case "family":
        rule.family = oneOf(value, UNKNOWN_CODE_FAMILIES, "family");
        break;
      case "returnCode":
        if (typeof value !== "string" || parseCode(value) === undefined)
          return `${scope}: returnCode is "MM/mm/DDDDD" (2, 2 and 5 digits)`;
        rule.returnCode = value;
        break;
      case "coverage":
        if (typeof value !== "boolean") return `${scope}: coverage is true or false`;
        rule.coverage = value;
        break;
      case "period":
        rule.period = oneOf(value, ["start-plus-60", "right-end"] as const, "period");
        break;
      case "echo":
        rule.echo = oneOf(value, ["reference", "requested", "ssin"] as const, "echo");
        break;
      case "silence":
        rule.silence = oneOf(value, ["code", "timeout"] as const, "silence");
        break;
      case "patients":
        rule.patients = digitsList(value, 11, "patients is a non-empty list of 11-digit NISS");
        break;
      case "mutualities":
        rule.mutualities = digitsList(value, 3, "mutualities is a non-empty list of 3-digit codes");
        break;
      default:
        return `${scope}: unknown key ${key}`;
    }
    if (bad !== undefined) return bad;
  }
  // Options belong to their kind; a code without a kind is a system-error code (as before).
  const allowed = rule.kind === undefined ? (["code"] as const) : (OPTIONS_OF[rule.kind] ?? []);
  const stray = OPTION_KEYS.find((k) => rule[k] !== undefined && !(allowed as readonly string[]).includes(k));
  if (stray !== undefined) return `${scope}: ${stray} does not go with ${rule.kind ?? "no kind"}`;
  if (rule.code !== undefined) {
    const codes = rule.kind === "refuse" ? REFUSAL_CODES : SYSTEM_ERROR_CODES;
    if (!codes.includes(rule.code))
      return `${scope}: code ${rule.code} does not go with ${rule.kind ?? "no kind"}`;
  }
  if (rule.kind !== undefined && UNFILTERED.includes(rule.kind) && filtered(rule))
    return `${scope}: ${rule.kind} concerns the session, not patients or mutualities`;
  return rule;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const clone = (plan: FaultPlan): FaultPlan => JSON.parse(JSON.stringify(plan)) as FaultPlan;
