// The eHealth STS, both doors (WS-Trust 1.3 and legacy SAML-P): requests, answers, round trip,
// and the checks on an assertion that MyCareNet (or our simulator of it) makes.
export { requestStsToken } from "./client.js";
export type { StsTokenRequest } from "./client.js";
export { buildStsRequest, signStsRequest, STS_SOAP_ACTION } from "./request.js";
export type { StsRequestInput } from "./request.js";
export { parseStsResponse } from "./response.js";
export type { SamlToken, StsResponseOptions } from "./response.js";
export { AssertionRejected, readAssertion, STS_ISSUER, verifyStsAssertion } from "./assertion.js";
export type { AssertionFacts, AssertionProblem } from "./assertion.js";
export * from "./pharmacy-profile.js";
export { assertDoorAccepts, SAML_P_PATH, stsDoorOf, WS_TRUST_PATH } from "./door.js";
export type { StsDoor } from "./door.js";
export * from "./wstrust-request.js";
export { parseWsTrustAnswer } from "./wstrust-response.js";
export type { WsTrustAnswer } from "./wstrust-response.js";
