// The cheap probe of MyCareNet's door while a circuit is open and no delivery waits for a
// recall. It sends no SOAP message at all (SPEC §2: every message sent must validate, and an
// empty envelope validates against nothing; issue 13): an HTTP HEAD of the service path, through
// the same agent — so TCP and the TLS handshake with the same trust — and the same deadline as a
// consultation. Any HTTP answer below 500 means the door is open; a transport failure or a 5xx
// (a maintenance page, a load balancer without backend) means it is not. Whether the platform
// can answer a question is only found by a real consultation (a recall, or the next one).
import type { SoapAgent } from "../transport/agent.js";
import { sendSoap } from "../transport/post.js";
import type { OutageKind } from "./client.js";

export type Reach = { readonly reachable: true } | { readonly reachable: false; readonly kind: OutageKind };

export interface ReachabilityConfig {
  readonly url: string;
  readonly timeoutMs: number;
  readonly agent?: SoapAgent;
}

export function createReachability(config: ReachabilityConfig): () => Promise<Reach> {
  return async () => {
    const sent = await sendSoap({
      url: config.url,
      body: "",
      method: "HEAD",
      timeoutMs: config.timeoutMs,
      ...(config.agent ? { agent: config.agent } : {}),
    });
    if (!sent.ok) return { reachable: false, kind: sent.failure.kind };
    return judge(sent.response);
  };
}

export function judge(response: { status: number }): Reach {
  return response.status > 0 && response.status < 500
    ? { reachable: true }
    : { reachable: false, kind: "http-status" };
}
