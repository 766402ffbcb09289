// Reads a WS-Trust STS answer (mycarenet-protocol §3.3): a SignChallenge to answer with the
// UseKey key, or the issued token in RequestSecurityTokenResponse(Collection)/
// RequestedSecurityToken, checked exactly as the legacy door's (response.ts); a fault is
// classified the same way. Every answer must carry the Context of our request.
import { child, childElements, path, text } from "../xml/parse.js";
import { invalid, readStsEnvelope } from "./envelope.js";
import { tokenFromAssertion, type SamlToken, type StsResponseOptions } from "./response.js";
import { WS_TRUST_NS } from "./wstrust-request.js";

export type WsTrustAnswer =
  | { readonly kind: "challenge"; readonly challenge: string }
  | { readonly kind: "token"; readonly token: SamlToken };

/** Throws CodedError STS_REFUSED | STS_UNAVAILABLE | STS_ANSWER_INVALID. */
export function parseWsTrustAnswer(
  xml: string,
  opts: StsResponseOptions & { readonly context: string },
): WsTrustAnswer {
  const body = readStsEnvelope(xml);
  const payload = body && childElements(body)[0];
  if (!payload || payload.namespaceURI !== WS_TRUST_NS) throw invalid("no WS-Trust answer");
  const responses =
    payload.localName === "RequestSecurityTokenResponseCollection"
      ? childElements(payload).filter((e) => e.namespaceURI === WS_TRUST_NS)
      : [payload];
  const response = responses[0];
  if (!response || responses.length !== 1 || response.localName !== "RequestSecurityTokenResponse")
    throw invalid("expected one RequestSecurityTokenResponse");
  if (response.getAttribute("Context") !== opts.context) throw invalid("answer to another request");

  const challenge = path(response, [WS_TRUST_NS, "SignChallenge"], [WS_TRUST_NS, "Challenge"]);
  if (challenge) {
    const value = text(challenge)?.trim() ?? "";
    if (value === "") throw invalid("empty challenge");
    return { kind: "challenge", challenge: value };
  }
  const requested = child(response, WS_TRUST_NS, "RequestedSecurityToken");
  if (!requested) throw invalid("no RequestedSecurityToken");
  return { kind: "token", token: tokenFromAssertion(xml, requested, opts) };
}
