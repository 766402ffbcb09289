// The MyCareNet gateway (issues 12, 13): the one door the use cases go through. It picks the
// session, asks the insurability client, and keeps what fails apart, so that the use cases only
// switch on `answer | business | outage`:
// - the platform and the transport (refused, reset, TLS, SystemError, HTTP errors, unreadable
//   answers, timeouts across insurers) have one circuit: open, every consultation goes to the
//   fallback without waiting (brochure §9.2);
// - each insurer (its national union, brochure §3.1: first digit of the mutuality, 750 and 999
//   through 600) has its own: timeouts of its known patients and "the insurer did not answer"
//   reports open it, and only ITS known patients go straight to the fallback (§5.3 forbids reuse
//   while the network answers, so the other insurers' patients keep their online answer).
// Business answers and unknown codes never count: MyCareNet answered. A mismatched echo or a
// missing session is an outage for that consultation only.
import type { Day } from "../commitment/index.js";
import { CodedError, type Code } from "../errors.js";
import type { PatientIdentification } from "../ehealth/insurability/index.js";
import type { OutageKind, Upstream, UpstreamResult } from "../ehealth/insurability/client.js";
import type { Session, SessionManager } from "../ehealth/sessions/manager.js";
import { parseMutuality } from "../identifiers/mutuality.js";
import type { PatientKey } from "../identifiers/patient-key.js";
import type { Logger } from "../log.js";
import { Circuit, type CircuitSnapshot } from "./circuit.js";

export type GatewayResult =
  | (Extract<UpstreamResult, { type: "answer" }> & { session: Session })
  | { type: "business"; code: Code; reference: string; detail?: Record<string, unknown>; session: Session }
  | {
      type: "outage";
      kind: OutageKind;
      reference?: string;
      session: Session | null;
      /** With "no-session": the precise code the session manager gave. */
      sessionCode?: "NO_SESSION" | "SESSION_EXPIRED";
    };

export interface GatewayQuestion {
  /** Whose session to use first (the asking pharmacist's), when open. */
  readonly nihii?: string | null;
  readonly patient: PatientIdentification;
  readonly patientKey: PatientKey;
  readonly date: Day;
  readonly userReference?: string;
}

export interface AskOptions {
  /** Recalls and the pricing office ask even when a scope is open: that is how it learns. */
  readonly bypass?: boolean;
  /** Right before the message leaves (SPEC §1.6, the proportionality guard): throws to refuse. */
  readonly beforeSend?: () => void;
}

export interface GatewayDeps {
  readonly upstream: Upstream;
  readonly sessions: Pick<SessionManager, "forConsultation">;
  /** The patient's mutuality as last answered online, if known. */
  readonly knownMutuality: (patientKey: PatientKey) => string | null | undefined;
  readonly threshold: number;
  readonly probeMs: number;
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly onInsurerChange?: (insurer: string, state: "open" | "closed") => void;
  /** The platform's circuit, when the caller holds it already (tests); else one of its own. */
  readonly platform?: Circuit;
}

export interface GatewaySnapshot {
  readonly platform: CircuitSnapshot;
  /** Insurers (national unions) whose circuit is not closed. */
  readonly silentInsurers: string[];
}

/** The national union answering for a mutuality code (brochure §3.1), or undefined. */
export function insurerOf(mutuality: string | null | undefined): string | undefined {
  if (mutuality === null || mutuality === undefined) return undefined;
  const parsed = parseMutuality(mutuality);
  return parsed.ok ? String(parsed.value.servedThrough) : undefined;
}

export class MyCareNetGateway {
  readonly #d: GatewayDeps;
  readonly platform: Circuit;
  readonly #insurers = new Map<string, Circuit>();
  /** Insurers whose patients timed out since the platform last answered. */
  readonly #timedOut = new Set<string>();

  constructor(deps: GatewayDeps) {
    this.#d = deps;
    this.platform =
      deps.platform ?? new Circuit({ threshold: deps.threshold, probeMs: deps.probeMs, clock: deps.clock });
  }

  /** Some scope is not closed: the probe has work. */
  get isOpen(): boolean {
    return this.anyOpen;
  }

  get anyOpen(): boolean {
    return this.platform.isOpen || [...this.#insurers.values()].some((c) => c.isOpen);
  }

  snapshot(): GatewaySnapshot {
    return {
      platform: this.platform.snapshot(),
      silentInsurers: [...this.#insurers].flatMap(([k, c]) => (c.isOpen ? [k] : [])).sort(),
    };
  }

  /** The insurer of a question: the mutuality asked, else the known patient's. */
  insurerOfQuestion(q: Pick<GatewayQuestion, "patient" | "patientKey">): string | undefined {
    if ("mutuality" in q.patient) return insurerOf(q.patient.mutuality);
    return insurerOf(this.#d.knownMutuality(q.patientKey));
  }

  async ask(q: GatewayQuestion, options: AskOptions = {}): Promise<GatewayResult> {
    let session: Session;
    try {
      session = this.#d.sessions.forConsultation(q.nihii ?? undefined);
    } catch (err) {
      // brochure §9.3.1: no pharmacist identified is a technical reason for the fallback.
      if (err instanceof CodedError && (err.code === "NO_SESSION" || err.code === "SESSION_EXPIRED"))
        return { type: "outage", kind: "no-session", session: null, sessionCode: err.code };
      throw err;
    }
    const insurer = this.insurerOfQuestion(q);
    if (!options.bypass) {
      if (!this.platform.admits()) return { type: "outage", kind: "circuit-open", session };
      if (insurer !== undefined && this.#insurers.get(insurer)?.admits() === false)
        return { type: "outage", kind: "insurer-silent", session };
    }
    options.beforeSend?.();
    const result = await this.#d.upstream.ask(session, q.patient, q.date, q.userReference);
    switch (result.type) {
      case "answer": {
        this.#platformAnswered();
        const answered = insurerOf(result.answer.patient.mutuality) ?? insurer;
        if (answered !== undefined) this.#insurers.get(answered)?.recordAnswer();
        return { ...result, session };
      }
      case "business":
        this.#platformAnswered();
        return { ...result, session };
      case "outage":
        this.#outage(result.kind, result.mutuality ? (insurerOf(result.mutuality) ?? insurer) : insurer);
        if (result.kind === "mismatch") {
          // Field name only: never the patient, never the values (issue 13 item 5).
          this.#d.logger.warn(
            { field: result.detail, upstreamReference: result.reference },
            "MyCareNet answered another question",
          );
        }
        return { type: "outage", kind: result.kind, reference: result.reference, session };
    }
  }

  /** The probe's connection-level check found the door open (or not). */
  recordReachable(): void {
    this.platform.recordReachable();
  }

  recordOutage(kind: OutageKind): void {
    this.platform.recordOutage(kind);
  }

  #platformAnswered(): void {
    this.#timedOut.clear();
    this.platform.recordAnswer();
  }

  #outage(kind: OutageKind, insurer: string | undefined): void {
    switch (kind) {
      case "no-session":
      case "circuit-open":
      case "mismatch":
        // The platform answered (another question); a per-consultation failure.
        return;
      case "insurer-silent":
        // The platform answered that the insurer did not: the insurer's scope only.
        if (insurer !== undefined) this.#insurer(insurer).recordOutage(kind);
        return;
      case "timeout":
        if (insurer === undefined) return this.platform.recordOutage(kind);
        this.#insurer(insurer).recordOutage(kind);
        // One insurer slow is that insurer; timeouts across insurers are the platform.
        this.#timedOut.add(insurer);
        if (this.#timedOut.size >= 2) this.platform.recordOutage(kind);
        return;
      default:
        this.platform.recordOutage(kind);
    }
  }

  #insurer(insurer: string): Circuit {
    let circuit = this.#insurers.get(insurer);
    if (circuit === undefined) {
      circuit = new Circuit({ threshold: this.#d.threshold, probeMs: this.#d.probeMs, clock: this.#d.clock });
      circuit.onChange((state) => {
        this.#d.logger.warn(
          { insurer, state },
          state === "open"
            ? "insurer silent: its known patients go to the fallback"
            : "insurer answers again",
        );
        this.#d.onInsurerChange?.(insurer, state);
      });
      this.#insurers.set(insurer, circuit);
    }
    return circuit;
  }
}
