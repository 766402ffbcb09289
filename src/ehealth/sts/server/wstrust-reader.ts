// What the simulated STS reads from a WS-Trust message (mycarenet-protocol §3.3): the RST's
// Context, token and key types, claims (with a value: identification attributes; without: what
// the STS is to certify), Lifetime and UseKey certificate; or the answer to a SignChallenge.
import { keyInfoCertificate } from "../../wssec/dsig.js";
import { AUTH_NS, WS_TRUST_NS } from "../wstrust-request.js";
import { CERTIFIED_NAMESPACE, IDENTIFICATION_NAMESPACE } from "../pharmacy-profile.js";
import { parseXsDateTime } from "../../xml/datetime.js";
import { NS } from "../../xml/namespaces.js";
import { child, childElements, path, text } from "../../xml/parse.js";
import { lifetimeSeconds, type SessionAsked } from "./session-asked.js";

/** requestedLifetimeSeconds: Lifetime's Expires − Created. */
export interface RstFacts extends SessionAsked {
  readonly kind: "rst";
  readonly element: Element;
  readonly context: string;
  readonly tokenType: string;
  readonly requestType: string;
  readonly keyType: string;
  readonly useKeyCertDer: Buffer | undefined;
}

export interface ChallengeAnswerFacts {
  readonly kind: "challenge-response";
  readonly element: Element;
  readonly context: string;
  readonly challenge: string;
}

export function readWsTrustMessage(body: Element): RstFacts | ChallengeAnswerFacts | undefined {
  const payload = childElements(body)[0];
  if (!payload || payload.namespaceURI !== WS_TRUST_NS) return undefined;
  const context = payload.getAttribute("Context") ?? "";
  if (payload.localName === "RequestSecurityTokenResponse") {
    const challenge = path(payload, [WS_TRUST_NS, "SignChallengeResponse"], [WS_TRUST_NS, "Challenge"]);
    if (!challenge) return undefined;
    return {
      kind: "challenge-response",
      element: payload,
      context,
      challenge: (text(challenge) ?? "").trim(),
    };
  }
  if (payload.localName !== "RequestSecurityToken") return undefined;
  const value = (localName: string) => (text(child(payload, WS_TRUST_NS, localName)) ?? "").trim();
  const identification = new Map<string, { namespace: string; value: string }>();
  const designators: Array<{ name: string; namespace: string }> = [];
  for (const claim of childElements(child(payload, WS_TRUST_NS, "Claims") ?? payload)) {
    if (claim.namespaceURI !== AUTH_NS || claim.localName !== "ClaimType") continue;
    const name = claim.getAttribute("Uri") ?? "";
    const claimed = child(claim, AUTH_NS, "Value");
    if (claimed)
      identification.set(name, { namespace: IDENTIFICATION_NAMESPACE, value: (text(claimed) ?? "").trim() });
    else designators.push({ name, namespace: CERTIFIED_NAMESPACE });
  }
  const lifetime = child(payload, WS_TRUST_NS, "Lifetime");
  const from = parseXsDateTime(text(lifetime && child(lifetime, NS.wsu, "Created")));
  const until = parseXsDateTime(text(lifetime && child(lifetime, NS.wsu, "Expires")));
  const reference = path(payload, [WS_TRUST_NS, "UseKey"], [NS.wsse, "SecurityTokenReference"]);
  return {
    kind: "rst",
    element: payload,
    context,
    tokenType: value("TokenType"),
    requestType: value("RequestType"),
    keyType: value("KeyType"),
    // UseKey/SecurityTokenReference/X509Data/X509Certificate: the same shape as ds:KeyInfo's.
    useKeyCertDer: reference && keyInfoCertificate(reference),
    identification,
    designators,
    requestedLifetimeSeconds: lifetimeSeconds(from, until),
  };
}
