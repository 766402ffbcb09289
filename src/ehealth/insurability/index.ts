// Insurability v2 for pharmacists (SPEC §2; protocol notes §1.4): pure build and parse of the
// wire format, shared by the daemon (client side) and the simulator (server side).
export type {
  AnswerCoverage,
  AnswerKind,
  AnswerPatient,
  AnswerVerification,
  InsurabilityAnswer,
  ReturnCode,
  ThirdPartyPayerRegime,
} from "../../consultation/answer.js";
export { THIRD_PARTY_PAYER_REGIMES } from "../../consultation/answer.js";
export { BAD_INPUT_DETAIL, isOutage, kindOf, RETURN_CODES, returnCodeFor } from "./return-codes.js";
export type { BadInputDetail, ReturnCodeEntry } from "./return-codes.js";
export {
  buildInsurabilityRequest,
  DEFAULT_REQUEST_TYPE,
  HOLDER_QUALITY,
  INSURABILITY_SOAP_ACTION,
  insurabilityRequestPayload,
  PHARMACY_QUALITY,
  readInsurabilityRequest,
} from "./request.js";
export type {
  InsurabilityRequestInput,
  PatientIdentification,
  ReceivedInsurabilityRequest,
} from "./request.js";
export { parseInsurabilityResponse } from "./response.js";
export type { ParsedResponse } from "./response.js";
export { buildInsurabilityResponse, insurabilityResponsePayload } from "./response-build.js";
export { buildSoaFault, FAULT_HTTP_STATUS, parseSoapFault, readSoapFault, SOA } from "../xml/soap-fault.js";
export type { SoaEnvironment, SoaFault, SoaFaultKind } from "../xml/soap-fault.js";
