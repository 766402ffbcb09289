// The one HTTP POST for every SOAP call, its failure taxonomy, and SOAP envelope/fault helpers.
export { createAgent } from "./agent.js";
export type { AgentOptions, SoapAgent } from "./agent.js";
export { DEFAULT_MAX_RESPONSE_BYTES, postSoap } from "./post.js";
export type { PostSoapOptions, SoapHttpResponse } from "./post.js";
export { classifySocketError, TransportError } from "./transport-error.js";
export type { TransportErrorKind } from "./transport-error.js";
export { soapEnvelope } from "./envelope.js";
export { soapFaultOf } from "./soap-fault.js";
export type { SoapFault } from "./soap-fault.js";
