export { DESCRIPTOR, ensureDemoPki, ensureTestPki, readTestPki, type DemoPkiResult } from "./ensure.js";
export { DEFAULT_TEST_PKI_OPTIONS, SOFTHSM_MODULE } from "./test-pki.js";
export type {
  DemoPki,
  OrganisationKeystore,
  PemPair,
  PersonalKeystore,
  TestEid,
  TestKeystore,
  TestPki,
  TestPkiOptions,
} from "./test-pki.js";
