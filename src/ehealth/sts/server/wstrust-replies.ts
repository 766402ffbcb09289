// The WS-Trust door's answers on the wire (WS-Trust 1.3 §4.4, §8.2, §11): a SignChallenge, the
// issued token in a RequestSecurityTokenResponseCollection, and the WS-Trust SOAP faults.
import type { SoapAnswer as SoapReply } from "../../xml/soap.js";
import { WS_TRUST, WS_TRUST_NS } from "../wstrust-request.js";
import { escapeXml as x } from "../../xml/escape.js";
import { NS } from "../../xml/namespaces.js";
import { FAULT_HTTP_STATUS } from "../../xml/soap-fault.js";
import { soapEnvelope } from "../../xml/soap.js";

export const challenged = (context: string, challenge: string): SoapReply => ({
  status: 200,
  body: soapEnvelope({
    body:
      `<wst:RequestSecurityTokenResponse xmlns:wst="${WS_TRUST_NS}" Context="${x(context)}">` +
      `<wst:SignChallenge><wst:Challenge>${x(challenge)}</wst:Challenge></wst:SignChallenge>` +
      `</wst:RequestSecurityTokenResponse>`,
  }),
});

export const issuedToken = (
  context: string,
  signedAssertion: string,
  from: Date,
  until: Date,
): SoapReply => ({
  status: 200,
  body: soapEnvelope({
    body:
      `<wst:RequestSecurityTokenResponseCollection xmlns:wst="${WS_TRUST_NS}" xmlns:wsu="${NS.wsu}">` +
      `<wst:RequestSecurityTokenResponse Context="${x(context)}"><wst:TokenType>${WS_TRUST.samlV11}</wst:TokenType>` +
      `<wst:RequestedSecurityToken>${signedAssertion}</wst:RequestedSecurityToken>` +
      `<wst:Lifetime><wsu:Created>${from.toISOString()}</wsu:Created><wsu:Expires>${until.toISOString()}</wsu:Expires></wst:Lifetime>` +
      `</wst:RequestSecurityTokenResponse></wst:RequestSecurityTokenResponseCollection>`,
  }),
});

export type WsTrustFaultCode = "InvalidRequest" | "FailedAuthentication";

/** A WS-Trust fault; the message must not contain personal data. */
export const wsTrustFault = (code: WsTrustFaultCode, message: string): SoapReply => ({
  status: FAULT_HTTP_STATUS,
  body: soapEnvelope({
    body:
      `<soap:Fault><faultcode xmlns:wst="${WS_TRUST_NS}">wst:${code}</faultcode>` +
      `<faultstring>${x(message)}</faultstring></soap:Fault>`,
  }),
});
