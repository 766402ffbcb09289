// WS-Security for eHealth: the two signing profiles we send, their verifiers, and enveloped
// XML signatures (STS proof of possession, STS assertions).
export { signWithBinaryToken } from "./binary-token.js";
export { signWithSamlKeyId } from "./saml-key-id.js";
export { holderOfKeyCertificate, verifyBinaryTokenSignature, verifySamlKeyIdSignature } from "./verify.js";
export { signEnveloped, verifyEnveloped } from "./enveloped.js";
export type { EnvelopedOptions } from "./enveloped.js";
export { WsSecurityRejected } from "./rejected.js";
export type { WsSecurityReason } from "./rejected.js";
