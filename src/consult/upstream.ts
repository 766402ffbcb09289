// One outbound consultation, written in one place: build → sign → POST → parse → classify
// (STYLE idea 5). The result says whether MyCareNet answered (an answer, even "not insured"),
// refused our input, or could not be reached — an outage, which starts the fallback (SPEC §1.4).
import type { Day } from "../commitment/index.js";
import type { Code } from "../errors.js";
import {
  buildInsurabilityRequest,
  INSURABILITY_SOAP_ACTION,
  isOutage,
  parseInsurabilityResponse,
  type InsurabilityAnswer,
  type PatientIdentification,
} from "../ehealth/insurability/index.js";
import type { Signer } from "../ehealth/keys/signer.js";
import type { Session } from "../ehealth/sessions/manager.js";
import type { SoapAgent } from "../ehealth/transport/agent.js";
import { postSoap } from "../ehealth/transport/post.js";
import { TransportError, type TransportErrorKind } from "../ehealth/transport/transport-error.js";
import { signWithSamlKeyId } from "../ehealth/wssec/saml-key-id.js";

/** Why MyCareNet gave no usable answer. Stable strings: metrics and the fallback reason use them. */
export type OutageKind =
  TransportErrorKind | "http-status" | "system-error" | "malformed" | "insurer-silent" | "circuit-open";

export type UpstreamResult =
  | { type: "answer"; answer: InsurabilityAnswer; xml: string; reference: string }
  | { type: "rejected"; code: Code; reference: string; detail?: Record<string, unknown> }
  | { type: "outage"; kind: OutageKind; reference: string; detail?: string };

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
      let response: { status: number; body: string };
      try {
        response = await postSoap({
          url: config.url,
          body: signed,
          soapAction: INSURABILITY_SOAP_ACTION,
          timeoutMs: config.timeoutMs,
          ...(config.agent ? { agent: config.agent } : {}),
        });
      } catch (err) {
        if (err instanceof TransportError) return { type: "outage", kind: err.kind, reference };
        throw err;
      }
      return classify(response, reference);
    },
  };
}

export function classify(response: { status: number; body: string }, reference: string): UpstreamResult {
  const parsed = parseInsurabilityResponse(response.body);
  switch (parsed.type) {
    case "fault":
      // eHealth SystemError is technical (authentication, service down, ...): fallback.
      // BusinessError is an answer about our message: a precise error, no fallback.
      return parsed.fault.kind === "system"
        ? { type: "outage", kind: "system-error", reference, detail: parsed.fault.code }
        : { type: "rejected", code: "MYCARENET_REJECTED", reference, detail: { soa: parsed.fault.code } };
    case "malformed":
      return { type: "outage", kind: response.status >= 400 ? "http-status" : "malformed", reference };
    case "answer": {
      const { answer } = parsed;
      if (response.status !== 200) return { type: "outage", kind: "http-status", reference };
      if (isOutage(answer.kind))
        return { type: "outage", kind: "insurer-silent", reference, detail: answer.kind };
      if (answer.kind === "bad-input") {
        return {
          type: "rejected",
          code: "MYCARENET_REJECTED",
          reference,
          detail: { returnCode: answer.returnCode },
        };
      }
      if (answer.kind === "date-in-future") return { type: "rejected", code: "DATE_IN_FUTURE", reference };
      return { type: "answer", answer, xml: response.body, reference };
    }
  }
}
