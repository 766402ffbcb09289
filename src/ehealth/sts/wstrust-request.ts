// The WS-Trust 1.3 STS messages (mycarenet-protocol §3.3; templates sts-wstrust-*.xml): the
// RequestSecurityToken with the pharmacy claims, the Lifetime asked for, KeyType PublicKey and
// UseKey = the organisation (holder-of-key) certificate; and the answer to a SignChallenge.
// Both are the Body of a SOAP message signed with WS-Security X.509 (binary-token.ts): the RST
// by the identification key (eID or personal certificate), the challenge response by the UseKey
// key — the proof that the session's holder-of-key is possessed.
import { escapeXml as x } from "../xml/escape.js";
import { NS } from "../xml/namespaces.js";
import { PHARMACY_DESIGNATORS, IDENTIFICATION_NAMESPACE } from "./pharmacy-profile.js";
import { askedUntil, assertedAttributes, type SessionTerms } from "./session-terms.js";

export const WS_TRUST_NS = "http://docs.oasis-open.org/ws-sx/ws-trust/200512";
export const AUTH_NS = "http://docs.oasis-open.org/wsfed/authorization/200706";
export const WS_TRUST = {
  issue: `${WS_TRUST_NS}/Issue`,
  publicKey: "http://docs.oasis-open.org/ws-sx/wstrust/200512/PublicKey",
  samlV11: "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1",
  claimsDialect: "http://docs.oasis-open.org/wsfed/authorization/200706/authclaims",
} as const;
export const WS_TRUST_SOAP_ACTION = "urn:be:fgov:ehealth:sts:protocol:v1:RequestSecurityToken";
export const WS_TRUST_CHALLENGE_ACTION = "urn:be:fgov:ehealth:sts:protocol:v1:Challenge";

export interface RstInput extends SessionTerms {
  /** Ties the challenge and the final answer to this request. */
  readonly context: string;
}

/** The unsigned wst:RequestSecurityToken (the SOAP Body payload). */
export function buildRst(input: RstInput): string {
  const created = input.now.toISOString();
  const expires = askedUntil(input).toISOString();
  const valued = assertedAttributes(input);
  // One ClaimType per identification attribute with its value, one without per attribute the
  // STS certifies (the identification designators are the valued claims already).
  const claims =
    valued
      .map(
        (a) => `<auth:ClaimType Uri="${x(a.name)}"><auth:Value>${x(a.value)}</auth:Value></auth:ClaimType>`,
      )
      .join("") +
    PHARMACY_DESIGNATORS.filter((d) => d.namespace !== IDENTIFICATION_NAMESPACE)
      .map((d) => `<auth:ClaimType Uri="${x(d.name)}"/>`)
      .join("");
  return (
    `<wst:RequestSecurityToken xmlns:wst="${WS_TRUST_NS}" xmlns:auth="${AUTH_NS}" xmlns:wsu="${NS.wsu}" ` +
    `xmlns:wsse="${NS.wsse}" xmlns:ds="${NS.ds}" Context="${x(input.context)}">` +
    `<wst:TokenType>${WS_TRUST.samlV11}</wst:TokenType><wst:RequestType>${WS_TRUST.issue}</wst:RequestType>` +
    `<wst:Claims Dialect="${WS_TRUST.claimsDialect}">${claims}</wst:Claims>` +
    `<wst:Lifetime><wsu:Created>${created}</wsu:Created><wsu:Expires>${expires}</wsu:Expires></wst:Lifetime>` +
    `<wst:KeyType>${WS_TRUST.publicKey}</wst:KeyType>` +
    `<wst:UseKey><wsse:SecurityTokenReference><ds:X509Data><ds:X509Certificate>` +
    `${input.holderOfKeyCertDer.toString("base64")}</ds:X509Certificate></ds:X509Data>` +
    `</wsse:SecurityTokenReference></wst:UseKey></wst:RequestSecurityToken>`
  );
}

/** The answer to a SignChallenge (sts-wstrust-signchallenge.template.xml), unsigned. */
export function buildChallengeResponse(context: string, challenge: string): string {
  return (
    `<wst:RequestSecurityTokenResponse xmlns:wst="${WS_TRUST_NS}" Context="${x(context)}">` +
    `<wst:SignChallengeResponse><wst:Challenge>${x(challenge)}</wst:Challenge></wst:SignChallengeResponse>` +
    `</wst:RequestSecurityTokenResponse>`
  );
}
