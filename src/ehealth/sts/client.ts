// One STS round trip, written as the short chain of STYLE §5: build → sign → POST → classify →
// parse and verify. The door (SPEC §2) follows from the URL's path unless forced: WS-Trust
// (wstrust-client.ts) or the legacy SAML-P door, which refuses an EC key before anything is
// signed. Signers, agent and clock are passed per call; nothing is kept between calls.
import { randomUUID } from "node:crypto";
import { assertDoorAccepts, stsDoorOf } from "./door.js";
import { buildStsRequest, signStsRequest, STS_SOAP_ACTION } from "./request.js";
import { parseStsResponse, type SamlToken } from "./response.js";
import { postToSts } from "./sts-post.js";
import { answerChecksOf, sessionTermsOf, type StsTokenRequest } from "./token-request.js";
import { requestWsTrustToken } from "./wstrust-client.js";

export type { StsTokenRequest } from "./token-request.js";

/**
 * Throws CodedError STS_DOOR_KEY_UNSUPPORTED | STS_REFUSED | STS_UNAVAILABLE |
 * STS_ANSWER_INVALID; signer errors pass through.
 */
export async function requestStsToken(req: StsTokenRequest): Promise<SamlToken> {
  const door = stsDoorOf(req.url, req.door);
  assertDoorAccepts(door, req.identification);
  return door === "ws-trust" ? requestWsTrustToken(req) : requestLegacyToken(req);
}

async function requestLegacyToken(req: StsTokenRequest): Promise<SamlToken> {
  const requestId = `request-${randomUUID()}`;
  const unsigned = buildStsRequest({
    ...sessionTermsOf(req),
    identificationCertDer: req.identification.certificateDer,
    requestId,
  });
  const message = await signStsRequest(unsigned, req, { now: req.now });
  return postToSts(req, { body: message, soapAction: STS_SOAP_ACTION }, (body) =>
    parseStsResponse(body, { ...answerChecksOf(req), requestId }),
  );
}
