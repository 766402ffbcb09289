// The one HTTP POST for every SOAP call and its failure taxonomy.
export { createAgent } from "./agent.js";
export type { AgentOptions, SoapAgent } from "./agent.js";
export { DEFAULT_MAX_RESPONSE_BYTES, postSoap, sendSoap } from "./post.js";
export type { PostSoapOptions, SoapExchange, SoapHttpResponse } from "./post.js";
export { classifySocketError, TransportError } from "./transport-error.js";
export type { TransportErrorKind } from "./transport-error.js";
