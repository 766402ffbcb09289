// One STS round trip, written as the short chain of STYLE §5: build → sign (proof of possession,
// then WS-Security) → POST → classify → parse and verify. Signers, agent and clock are passed per
// call; nothing is kept between calls.
import { randomUUID } from "node:crypto";
import { CodedError } from "../../errors.js";
import type { Signer } from "../keys/signer.js";
import type { SoapAgent } from "../transport/agent.js";
import { postSoap } from "../transport/post.js";
import { TransportError } from "../transport/transport-error.js";
import { buildStsRequest, signStsRequest, STS_SOAP_ACTION } from "./request.js";
import { parseStsResponse, type SamlToken } from "./response.js";

export interface StsTokenRequest {
  /** The legacy endpoint, …/IAM/Saml11TokenService/Legacy/v1. */
  readonly url: string;
  /** eID authentication key or personal eHealth certificate: signs the SOAP message. */
  readonly identification: Signer;
  /** The pharmacy's organisation certificate: the assertion's holder-of-key. */
  readonly holderOfKey: Signer;
  readonly holder: { readonly ssin: string };
  readonly user: { readonly ssin: string };
  readonly pharmacy: { readonly nihii: string };
  readonly lifetimeHours: number;
  readonly stsCertificateDer: Buffer;
  readonly timeoutMs: number;
  readonly agent?: SoapAgent;
  readonly now: Date;
}

/** Throws CodedError STS_REFUSED | STS_UNAVAILABLE | STS_ANSWER_INVALID; signer errors pass through. */
export async function requestStsToken(req: StsTokenRequest): Promise<SamlToken> {
  const requestId = `request-${randomUUID()}`;
  const unsigned = buildStsRequest({
    identificationCertDer: req.identification.certificateDer,
    holderOfKeyCertDer: req.holderOfKey.certificateDer,
    holder: req.holder,
    user: req.user,
    pharmacy: req.pharmacy,
    now: req.now,
    lifetimeHours: req.lifetimeHours,
    requestId,
  });
  const message = await signStsRequest(unsigned, req, { now: req.now });

  let answer;
  try {
    answer = await postSoap({
      url: req.url,
      body: message,
      soapAction: STS_SOAP_ACTION,
      timeoutMs: req.timeoutMs,
      ...(req.agent ? { agent: req.agent } : {}),
    });
  } catch (error) {
    if (error instanceof TransportError) {
      throw new CodedError(
        "STS_UNAVAILABLE",
        { reason: "transport", transport: error.kind },
        { cause: error },
      );
    }
    throw error;
  }
  // SOAP 1.1 faults come with 500; anything else but 200 is the gateway's, not the STS's.
  if (answer.status !== 200 && answer.status !== 500) {
    throw new CodedError("STS_UNAVAILABLE", { reason: "http-status", httpStatus: answer.status });
  }
  try {
    return parseStsResponse(answer.body, {
      stsCertificateDer: req.stsCertificateDer,
      now: req.now,
      pharmacyNihii: req.pharmacy.nihii,
      holderOfKeyCertDer: req.holderOfKey.certificateDer,
      requestId,
    });
  } catch (error) {
    // A 500 that is not a readable fault is an outage, not a bad answer.
    if (answer.status === 500 && error instanceof CodedError && error.code === "STS_ANSWER_INVALID") {
      throw new CodedError("STS_UNAVAILABLE", { reason: "http-status", httpStatus: 500 }, { cause: error });
    }
    throw error;
  }
}
