// Per-door counters of the simulated STS (control API `/_control/stats`): how many requests each
// door received and how they ended, so that tests and benchmarks see which door a daemon used.
import type { SoapReply } from "../soap-endpoint.js";

export type StsDoorName = "ws-trust" | "saml-p";
export type StsOutcome = "issued" | "challenged" | "refused" | "fault";

export type StsDoorCounts = Record<StsOutcome | "requests", number>;

export class StsCounters {
  readonly #doors: Record<StsDoorName, StsDoorCounts> = { "ws-trust": empty(), "saml-p": empty() };

  /** Counts one answer; the outcome is read from the reply as a client would see it. */
  count(door: StsDoorName, reply: SoapReply, outcome?: StsOutcome): void {
    const counts = this.#doors[door];
    counts.requests += 1;
    counts[outcome ?? outcomeOf(reply)] += 1;
  }

  snapshot(): Record<StsDoorName, StsDoorCounts> {
    return { "ws-trust": { ...this.#doors["ws-trust"] }, "saml-p": { ...this.#doors["saml-p"] } };
  }
}

const empty = (): StsDoorCounts => ({ requests: 0, issued: 0, challenged: 0, refused: 0, fault: 0 });

/** The outcome of an answer of either door as a client reads it (a WS-Trust fault: "fault"). */
export function outcomeOf(reply: SoapReply): StsOutcome {
  if (reply.status !== 200 || reply.transport !== undefined) return "fault";
  if (reply.body.includes("SignChallenge>")) return "challenged";
  return reply.body.includes("Success") || reply.body.includes("RequestedSecurityToken>")
    ? "issued"
    : "refused";
}
