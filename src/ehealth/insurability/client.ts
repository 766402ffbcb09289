// One outbound consultation, written in one place: build → sign → POST → parse → classify
// (STYLE idea 5). The result says whether MyCareNet answered (an answer, even "not insured"),
// refused our input, or could not be reached — an outage, which starts the fallback (SPEC §1.4).
import type { Day } from "../../commitment/index.js";
import type { Code } from "../../errors.js";
import {
  buildInsurabilityRequest,
  INSURABILITY_SOAP_ACTION,
  isOutage,
  parseInsurabilityResponse,
  type InsurabilityAnswer,
  type PatientIdentification,
} from "./index.js";
import type { Signer } from "../keys/signer.js";
import type { Session } from "../sessions/manager.js";
import type { SoapAgent } from "../transport/agent.js";
import { sendSoap } from "../transport/post.js";
import type { TransportErrorKind } from "../transport/transport-error.js";
import { signWithSamlKeyId } from "../wssec/saml-key-id.js";

/** Why MyCareNet gave no usable answer. Stable strings: metrics and the fallback reason use them. */
export type OutageKind =
  | TransportErrorKind
  | "http-status"
  | "system-error"
  | "malformed"
  | "mismatch"
  | "insurer-silent"
  | "circuit-open"
  | "no-session";

/**
 * What one question to MyCareNet gave (issue 13):
 * - answer: MyCareNet answered about the patient — insured, not insured, or a code the table
 *   lacks (a business answer all the same); stored as an online consultation;
 * - business: MyCareNet answered about the question instead — it refused our input or our
 *   access (BusinessError, a consumer-side SOA code, Major 03); a precise error, nothing stored;
 * - outage: no usable answer (SPEC §1.4): the fallback.
 * Neither of the first two says anything against the platform: they never count toward a circuit.
 */
export type UpstreamResult =
  | { type: "answer"; answer: InsurabilityAnswer; xml: string; reference: string }
  | { type: "business"; code: Code; reference: string; detail?: Record<string, unknown> }
  | { type: "outage"; kind: OutageKind; reference: string; detail?: string; mutuality?: string };

/** What the answer must echo of its question (issue 13 item 5). */
export interface AskedQuestion {
  readonly reference: string;
  readonly date: Day;
  readonly ssin?: string;
}

export interface UpstreamConfig {
  readonly url: string;
  readonly timeoutMs: number;
  readonly agent?: SoapAgent;
  readonly organisation: Signer;
  readonly pharmacy: { readonly nihii: string; readonly name: string };
  readonly holder: { readonly nihii: string; readonly ssin: string; readonly name: string };
  readonly package: { readonly name: string; readonly licenseUser: string; readonly licensePassword: string };
  readonly isTest: boolean;
  readonly newReference: () => string;
  readonly clock: () => Date;
}

export interface Upstream {
  ask(
    session: Session,
    patient: PatientIdentification,
    date: Day,
    userReference?: string,
  ): Promise<UpstreamResult>;
}

export function createUpstream(config: UpstreamConfig): Upstream {
  return {
    async ask(session, patient, date, userReference) {
      const reference = config.newReference();
      const envelope = buildInsurabilityRequest({
        reference,
        // UserReference holds 25 characters; MyCareNet truncates it anyway (notes §1.4).
        ...(userReference ? { userReference: [...userReference].slice(0, 25).join("") } : {}),
        date,
        patient,
        holder: config.holder,
        pharmacy: config.pharmacy,
        package: config.package,
        isTest: config.isTest,
      });
      const signed = await signWithSamlKeyId(envelope, session.token.assertionXml, config.organisation, {
        now: config.clock(),
      });
      const sent = await sendSoap({
        url: config.url,
        body: signed,
        soapAction: INSURABILITY_SOAP_ACTION,
        timeoutMs: config.timeoutMs,
        ...(config.agent ? { agent: config.agent } : {}),
      });
      if (!sent.ok) return { type: "outage", kind: sent.failure.kind, reference };
      return classify(sent.response, {
        reference,
        date,
        ...("niss" in patient ? { ssin: patient.niss } : {}),
      });
    },
  };
}

// SOA-01001 is the session's assertion refused (expired, revoked): the platform side of a
// session, an outage. Other consumer-side codes (01 security, 03 message content; protocol notes
// §4.1) refuse this message: retried as is, it would be refused again.
const REFUSAL = /^SOA-0(?:1(?!001)|3)/;

export function classify(response: { status: number; body: string }, asked: AskedQuestion): UpstreamResult {
  const { reference } = asked;
  const parsed = parseInsurabilityResponse(response.body);
  switch (parsed.type) {
    case "fault": {
      const { fault } = parsed;
      if (fault.kind === "business" || REFUSAL.test(fault.code))
        return { type: "business", code: "MYCARENET_REJECTED", reference, detail: { soa: fault.code } };
      // eHealth SystemError is technical (authentication, service down, ...): fallback.
      return { type: "outage", kind: "system-error", reference, detail: fault.code };
    }
    case "malformed":
      return { type: "outage", kind: response.status >= 400 ? "http-status" : "malformed", reference };
    case "answer": {
      const { answer } = parsed;
      if (response.status !== 200) return { type: "outage", kind: "http-status", reference };
      const mismatch = mismatchOf(answer, asked);
      // Never the patient's data: an answer to another question (issue 13 item 5).
      if (mismatch !== undefined) return { type: "outage", kind: "mismatch", reference, detail: mismatch };
      if (isOutage(answer.kind)) {
        const { mutuality } = answer.patient;
        return {
          type: "outage",
          kind: "insurer-silent",
          reference,
          detail: answer.kind,
          ...(mutuality ? { mutuality } : {}),
        };
      }
      if (answer.kind === "bad-input") {
        return {
          type: "business",
          code: "MYCARENET_REJECTED",
          reference,
          detail: { returnCode: answer.returnCode },
        };
      }
      if (answer.kind === "date-in-future") return { type: "business", code: "DATE_IN_FUTURE", reference };
      return { type: "answer", answer, xml: response.body, reference };
    }
  }
}

/** Which echoed field disagrees with the question (a field name, never its value). */
function mismatchOf(answer: InsurabilityAnswer, asked: AskedQuestion): string | undefined {
  // An answer about a patient must say which question it answers.
  if (answer.reference === undefined ? answer.coverage !== undefined : answer.reference !== asked.reference)
    return "reference";
  if (answer.requested !== undefined && answer.requested !== asked.date) return "requested";
  if (asked.ssin !== undefined && answer.patient.niss !== undefined && answer.patient.niss !== asked.ssin)
    return "ssin";
  return undefined;
}
