// The simulated eHealth STS (SPEC §3): an endpoint for the simulator's HTTP server.
export { createStsEndpoint, STS_PATH } from "./endpoint.js";
export { stsConfigFromPki } from "./config.js";
export type { PharmacyRegistration, StsMode, StsSimulatorConfig } from "./config.js";
export { mintAssertion } from "../../ehealth/sts/server/assertion-minter.js";
export type { AssertionContent, MintedAttribute } from "../../ehealth/sts/server/assertion-minter.js";
