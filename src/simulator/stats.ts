// What the simulator has seen since it started or since the last reset (`DELETE
// /_control/stats`): the daemon's e2e suite reads it to assert how many consultations reached
// MyCareNet, for which insurer, with which outcome, and that every message it posted was valid
// (SPEC §2: every message sent validates against its schema). Counts only: no NISS, no name.

export type InvalidReason = "not-xml" | "not-soap" | "empty-body" | "xsd";

export interface StatsSnapshot {
  /** SOAP posts to /Insurability/v2. */
  consultations: number;
  /** HEAD/GET on /Insurability/v2: connection-level checks without a SOAP message. */
  probes: number;
  /** Questions the platform answered itself (routing, input, "the insurer did not answer"). */
  platformAnswers: number;
  /** Questions handed to each insurer (national union). */
  byInsurer: Record<string, number>;
  /** Questions by the patient's mutuality (asked, else answered). */
  byMutuality: Record<string, number>;
  /** One label per consultation: an outcome of the answer, `fault:SOA-…` or `transport:…`. */
  outcomes: Record<string, number>;
  invalidMessages: { total: number } & Record<InvalidReason, number>;
  /** Insurability payloads validated against the official XSD. */
  xsdChecked: number;
  sts: { requests: number; issued: number; refused: number };
}

export interface Stats {
  consultation(): void;
  probe(): void;
  platformAnswer(): void;
  insurer(union: string): void;
  mutuality(code: string): void;
  outcome(label: string): void;
  invalid(reason: InvalidReason): void;
  /** Counts an XSD check once its verdict is in; the snapshot waits for pending checks. */
  xsdCheck(verdict: Promise<boolean>): void;
  /** One answer of either STS door; a WS-Trust challenge counts in `requests` only. */
  sts(outcome: "issued" | "refused" | "challenged"): void;
  snapshot(): Promise<StatsSnapshot>;
  reset(): Promise<void>;
}

const empty = (): StatsSnapshot => ({
  consultations: 0,
  probes: 0,
  platformAnswers: 0,
  byInsurer: {},
  byMutuality: {},
  outcomes: {},
  invalidMessages: { total: 0, "not-xml": 0, "not-soap": 0, "empty-body": 0, xsd: 0 },
  xsdChecked: 0,
  sts: { requests: 0, issued: 0, refused: 0 },
});

export function createStats(): Stats {
  let s = empty();
  const pending = new Set<Promise<unknown>>();
  const bump = (table: Record<string, number>, key: string): void => {
    table[key] = (table[key] ?? 0) + 1;
  };
  const invalid = (reason: InvalidReason): void => {
    s.invalidMessages[reason] += 1;
    s.invalidMessages.total += 1;
  };
  const settle = async (): Promise<void> => {
    while (pending.size > 0) await Promise.allSettled([...pending]);
  };
  return {
    consultation: () => void (s.consultations += 1),
    probe: () => void (s.probes += 1),
    platformAnswer: () => void (s.platformAnswers += 1),
    insurer: (union) => bump(s.byInsurer, union),
    mutuality: (code) => bump(s.byMutuality, code),
    outcome: (label) => bump(s.outcomes, label),
    invalid,
    xsdCheck(verdict) {
      const generation = s;
      const counted = verdict.then(
        (valid) => {
          // A reset in between: the check belongs to the counts that were dropped.
          if (generation !== s) return;
          s.xsdChecked += 1;
          if (!valid) invalid("xsd");
        },
        () => undefined,
      );
      pending.add(counted);
      void counted.finally(() => pending.delete(counted));
    },
    sts(outcome) {
      s.sts.requests += 1;
      if (outcome === "issued") s.sts.issued += 1;
      else if (outcome === "refused") s.sts.refused += 1;
    },
    async snapshot() {
      await settle();
      return JSON.parse(JSON.stringify(s)) as StatsSnapshot;
    },
    async reset() {
      await settle();
      s = empty();
    },
  };
}
