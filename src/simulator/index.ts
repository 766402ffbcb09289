// The MyCareNet simulator (SPEC §3): embedded in demo mode, the test peer everywhere else.
export { startSimulator, SIMULATOR_LICENCE } from "./server.js";
export type { Simulator, SimulatorOptions } from "./server.js";
export { createPopulation, DEFAULT_POPULATION_SIZE } from "./population.js";
export type { Population } from "./population.js";
export { SCENARIO_NISS } from "./scenarios.js";
export type { Scenario, ScenarioName, Scenarios } from "./scenarios.js";
export { regimeOf } from "./person.js";
export type { Person, SimPeriod } from "./person.js";
export { createFaults, FAULT_KINDS, INSURER_SCOPES, parseFaultPlan } from "./faults.js";
export type {
  EchoField,
  FaultDecision,
  FaultKind,
  FaultPlan,
  FaultRule,
  FaultRules,
  Faults,
  InsurerScope,
  LongPeriod,
} from "./faults.js";
export type { InvalidReason, StatsSnapshot } from "./stats.js";
export { SIM_CODES, UNKNOWN_CODES, UNKNOWN_CODE_FAMILIES } from "./oracle/index.js";
export type { UnknownCodeFamily } from "./oracle/index.js";
export { answerQuestion, insurerAnswer, insurerOf, route } from "./insurers.js";
export type { InsurabilityQuestion, Routing } from "./insurers.js";
export { createInsurabilityEndpoint, INSURABILITY_PATH } from "./insurability-endpoint.js";
export type { InsurabilityEndpointConfig } from "./insurability-endpoint.js";
export { STS_PATH } from "./sts-mount.js";
export type { StsHandle } from "./sts-mount.js";
export { simulatorSettings, DEFAULT_SIMULATOR_PORT } from "./settings.js";
