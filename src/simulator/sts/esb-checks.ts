// What the eHealth ESB checks before either STS door reads a request (mycarenet-protocol §4.1):
// the WS-Security X.509 signature and a Timestamp within the clock tolerance (verify.ts) — a
// message it cannot read → fault SOA-03001, a signature that does not hold or a stale
// Timestamp → SOA-01001 (the consumer is not authenticated); in strict mode, the Body payload
// against its schema → SOA-03006.
import { XMLSerializer } from "@xmldom/xmldom";
import { WsSecurityRejected } from "../../ehealth/wssec/rejected.js";
import { verifyBinaryTokenSignature } from "../../ehealth/wssec/verify.js";
import { fault } from "../../ehealth/sts/server/replies.js";
import { NS } from "../../ehealth/xml/namespaces.js";
import { path } from "../../ehealth/xml/parse.js";
import type { SoapReply } from "../soap-endpoint.js";
import type { StsSimulatorConfig } from "./config.js";

export interface SignedRequest {
  readonly document: Document;
  /** The certificate whose key signed the message. */
  readonly certificateDer: Buffer;
  /** The SOAP Body, undefined when there is none. */
  readonly body: Element | undefined;
}

/** The signed request, or the ESB's fault. */
export function checkWsSecurity(
  xml: string,
  config: Pick<StsSimulatorConfig, "maxSkewSeconds">,
  now: Date,
): SignedRequest | { readonly fault: SoapReply } {
  let verified: ReturnType<typeof verifyBinaryTokenSignature>;
  try {
    verified = verifyBinaryTokenSignature(xml, { now, maxSkewSeconds: config.maxSkewSeconds });
  } catch (error) {
    if (error instanceof WsSecurityRejected)
      return { fault: fault(error.reason === "malformed" ? "SOA-03001" : "SOA-01001") };
    throw error;
  }
  return { ...verified, body: path(verified.document.documentElement!, [NS.soap, "Body"]) };
}

/** The ESB's fault when strict mode's `validate` refuses the payload, else undefined. */
export async function schemaFault(
  validate: StsSimulatorConfig["validate"],
  payload: Element,
): Promise<SoapReply | undefined> {
  if (!validate) return undefined;
  const { ok } = await validate(new XMLSerializer().serializeToString(payload));
  return ok ? undefined : fault("SOA-03006");
}
