// A scripted MyCareNet for the use cases' beside tests: each `ask` takes the next scripted step.
// An answer or a fault is written as the real wire response and read back by the client's own
// `classify`, so what a use case sees is what it would see from the network; an outage is the
// transport's verdict (timeout, refused, ...). An unscripted call fails the test.
// The one place that knows the `Upstream` interface (src/ehealth/insurability/client.ts): when
// a gateway wraps the client, only this file changes.
import type { Day } from "../../commitment/index.js";
import type { InsurabilityAnswer } from "../../consultation/answer.js";
import {
  classify,
  type AskedQuestion,
  type OutageKind,
  type Upstream,
  type UpstreamResult,
} from "../../ehealth/insurability/client.js";
import { buildInsurabilityResponse } from "../../ehealth/insurability/response-build.js";
import { returnCodeFor } from "../../ehealth/insurability/return-codes.js";
import type { PatientIdentification } from "../../identifiers/patient.js";
import type { Session } from "../../ehealth/sessions/manager.js";
import { buildSoaFault, FAULT_HTTP_STATUS, SOA, type SoaFaultKind } from "../../ehealth/xml/soap-fault.js";
import type { TransportErrorKind } from "../../ehealth/transport/transport-error.js";

export type Step =
  | { readonly answer: InsurabilityAnswer; readonly status?: number }
  | { readonly fault: SoaFaultKind; readonly code?: string }
  | { readonly outage: TransportErrorKind }
  /** Waits for `release` before answering with `then` (for concurrency scenarios). */
  | { readonly held: Promise<void>; readonly then: Step };

export interface UpstreamCall {
  readonly sessionId: string;
  readonly patient: PatientIdentification;
  readonly date: Day;
  readonly userReference: string | undefined;
  readonly reference: string;
}

export class ScriptedUpstream implements Upstream {
  readonly calls: UpstreamCall[] = [];
  readonly #steps: Step[] = [];
  #n = 0;

  constructor(...steps: Step[]) {
    this.#steps.push(...steps);
  }

  /** Adds steps after those still waiting. */
  script(...steps: Step[]): this {
    this.#steps.push(...steps);
    return this;
  }

  get remaining(): number {
    return this.#steps.length;
  }

  async ask(session: Session, patient: PatientIdentification, date: Day, userReference?: string) {
    const reference = `UP-${String(++this.#n).padStart(6, "0")}`;
    this.calls.push({ sessionId: session.id, patient, date, userReference, reference });
    const step = this.#steps.shift();
    if (step === undefined) throw new Error(`scripted upstream: call ${this.#n} was not scripted`);
    return play(step, { reference, date, ...("niss" in patient ? { ssin: patient.niss } : {}) });
  }
}

async function play(step: Step, asked: AskedQuestion): Promise<UpstreamResult> {
  const { reference } = asked;
  if ("held" in step) {
    await step.held;
    return play(step.then, asked);
  }
  if ("outage" in step) return { type: "outage", kind: step.outage, reference };
  if ("fault" in step) {
    const code = step.code ?? (step.fault === "system" ? SOA.serviceUnavailable : SOA.notXsdConformant);
    const body = buildSoaFault({ kind: step.fault, code, message: "scripted" });
    return classify({ status: FAULT_HTTP_STATUS, body }, asked);
  }
  // MyCareNet echoes the question's reference (a step may script another one: a mismatch).
  const answer = { ...step.answer, reference: step.answer.reference ?? reference };
  return classify({ status: step.status ?? 200, body: buildInsurabilityResponse(answer) }, asked);
}

/** The outage kinds a scripted step can end in, for the tests' expectations. */
export type ScriptedOutage = OutageKind;

/** An insured answer for a patient on a date, with coverage and a payment commitment. */
export function insured(
  niss: string,
  day: Day,
  over: Partial<InsurabilityAnswer> = {},
): { answer: InsurabilityAnswer } {
  return {
    answer: {
      returnCode: returnCodeFor("insured"),
      kind: "insured",
      requested: day,
      patient: { niss, mutuality: "319", registrationNumber: "0001 13 NB7X" },
      coverage: {
        communicated: day,
        start: `${day.slice(0, 8)}01` as Day,
        end: "2099-12-31",
        ct1: "110",
        ct2: "110",
        thirdPartyPayerRegime: "standard",
      },
      verification: {
        paymentApproval: "39600121923C557676D835909102871A",
        paymentApprovalSeed: "5765675776",
        invoicingOfficeCheckDigit: "SR",
      },
      ...over,
    },
  };
}

/** An answer without coverage: "no-right", "unknown-patient", "insurer-unavailable", "bad-input"... */
export function answered(
  kind: "no-right" | "unknown-patient" | "insurer-unavailable" | "bad-input" | "date-in-future",
  niss: string,
  day: Day,
): { answer: InsurabilityAnswer } {
  return { answer: { returnCode: returnCodeFor(kind), kind, requested: day, patient: { niss } } };
}

/** A gate for `held` steps: the scripted answer leaves only once `open()` is called. */
export function gate(): { held: Promise<void>; open: () => void } {
  let open!: () => void;
  const held = new Promise<void>((resolve) => (open = resolve));
  return { held, open };
}
