export { DESCRIPTOR, ensureTestPki, readTestPki } from "./ensure.js";
export { DEFAULT_TEST_PKI_OPTIONS, SOFTHSM_MODULE } from "./test-pki.js";
export type {
  OrganisationKeystore,
  PemPair,
  PersonalKeystore,
  TestEid,
  TestKeystore,
  TestPki,
  TestPkiOptions,
} from "./test-pki.js";
