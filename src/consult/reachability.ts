// The cheap probe of MyCareNet's door while the circuit is open and no delivery waits for a
// recall: an empty SOAP envelope — no patient, no token, so not a consultation (SPEC §1.6) —
// posted to the insurability URL through the same transport and deadline as a consultation.
// Any answer of the platform about that message (a fault on our side, family SOA-01 or SOA-03)
// means it is there; a transport failure, a "service unavailable" SystemError (SOA-02xxx), an
// unreadable answer or a bare 5xx means it is not.
import { parseInsurabilityResponse, INSURABILITY_SOAP_ACTION } from "../ehealth/insurability/index.js";
import type { SoapAgent } from "../ehealth/transport/agent.js";
import { postSoap } from "../ehealth/transport/post.js";
import { TransportError } from "../ehealth/transport/transport-error.js";
import { soapEnvelope } from "../ehealth/xml/soap.js";
import type { OutageKind } from "./upstream.js";

export type Reach = { readonly reachable: true } | { readonly reachable: false; readonly kind: OutageKind };

export interface ReachabilityConfig {
  readonly url: string;
  readonly timeoutMs: number;
  readonly agent?: SoapAgent;
}

const EMPTY = soapEnvelope({ body: "" });
const UNAVAILABLE = /^SOA-02/;

export function createReachability(config: ReachabilityConfig): () => Promise<Reach> {
  return async () => {
    let response: { status: number; body: string };
    try {
      response = await postSoap({
        url: config.url,
        body: EMPTY,
        soapAction: INSURABILITY_SOAP_ACTION,
        timeoutMs: config.timeoutMs,
        ...(config.agent ? { agent: config.agent } : {}),
      });
    } catch (err) {
      if (err instanceof TransportError) return { reachable: false, kind: err.kind };
      throw err;
    }
    return judge(response);
  };
}

export function judge(response: { status: number; body: string }): Reach {
  const parsed = parseInsurabilityResponse(response.body);
  switch (parsed.type) {
    case "fault":
      return parsed.fault.kind === "system" && UNAVAILABLE.test(parsed.fault.code)
        ? { reachable: false, kind: "system-error" }
        : { reachable: true };
    case "malformed":
      return { reachable: false, kind: response.status >= 400 ? "http-status" : "malformed" };
    case "answer":
      return { reachable: true };
  }
}
