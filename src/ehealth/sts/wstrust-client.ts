// The WS-Trust door (mycarenet-protocol §3.3): the RST signed by the identification key; when
// the identification certificate is not the UseKey (organisation) certificate — always, for a
// pharmacist's eID — the STS answers a SignChallenge, and the challenge goes back signed by the
// UseKey key; then the assertion, checked as the legacy door's.
import { randomUUID } from "node:crypto";
import { CodedError } from "../../errors.js";
import { signWithBinaryToken } from "../wssec/binary-token.js";
import { soapEnvelope } from "../xml/soap.js";
import type { SamlToken } from "./response.js";
import { postToSts } from "./sts-post.js";
import { answerChecksOf, sessionTermsOf, type StsTokenRequest } from "./token-request.js";
import {
  buildChallengeResponse,
  buildRst,
  WS_TRUST_CHALLENGE_ACTION,
  WS_TRUST_SOAP_ACTION,
} from "./wstrust-request.js";
import { parseWsTrustAnswer } from "./wstrust-response.js";

export async function requestWsTrustToken(req: StsTokenRequest): Promise<SamlToken> {
  const context = `context-${randomUUID()}`;
  const read = (body: string) => parseWsTrustAnswer(body, { ...answerChecksOf(req), context });
  const rst = buildRst({ ...sessionTermsOf(req), context });
  const request = await signWithBinaryToken(soapEnvelope({ body: rst }), req.identification, {
    now: req.now,
  });
  const first = await postToSts(req, { body: request, soapAction: WS_TRUST_SOAP_ACTION }, read);
  if (first.kind === "token") return first.token;

  const response = await signWithBinaryToken(
    soapEnvelope({ body: buildChallengeResponse(context, first.challenge) }),
    req.holderOfKey,
    { now: req.now },
  );
  const second = await postToSts(req, { body: response, soapAction: WS_TRUST_CHALLENGE_ACTION }, read);
  if (second.kind === "challenge") throw new CodedError("STS_ANSWER_INVALID", { reason: "second challenge" });
  return second.token;
}
