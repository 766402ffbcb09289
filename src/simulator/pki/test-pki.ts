// The test PKI that stands in for eHealth's and the eID's (SPEC §3): what it is made from
// (options) and what it made (the descriptor written to pki.json, shared by the simulator and
// every test). Identifiers are valid by construction (SPEC §1.1).
import { syntheticNihii, syntheticNiss } from "../oracle/index.js";

export const SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so";

export interface TestPkiOptions {
  readonly pharmacy: { readonly nihii: string; readonly name: string };
  /** The titular pharmacist: eID, personal eHealth certificate, NIHII ending in 001. */
  readonly holder: {
    readonly ssin: string;
    readonly nihii: string;
    readonly givenName: string;
    readonly surname: string;
  };
  readonly organisationPassword: string;
  readonly personalPassword: string;
  readonly token: { readonly label: string; readonly pin: string; readonly soPin: string };
  /** Fixed validity (not "now"-relative) so that tests with an injected clock keep working. */
  readonly notBefore: string;
  readonly notAfter: string;
}

export const DEFAULT_TEST_PKI_OPTIONS: TestPkiOptions = Object.freeze({
  pharmacy: Object.freeze({ nihii: syntheticNihii(613_425), name: "Pharmacie du Parc" }),
  holder: Object.freeze({
    ssin: syntheticNiss("1978-04-23", 124),
    nihii: syntheticNihii(250_347, "001"),
    givenName: "Anne",
    surname: "Dupont",
  }),
  organisationPassword: "org-keystore-test",
  personalPassword: "personal-keystore-test",
  token: Object.freeze({ label: "mcn-eid", pin: "2468", soPin: "13572468" }),
  notBefore: "2020-01-01T00:00:00Z",
  notAfter: "2045-12-31T23:59:59Z",
});

export interface PemPair {
  readonly certPath: string;
  readonly keyPath: string;
  readonly certPem: string;
  readonly keyPem: string;
}

export interface TestKeystore {
  readonly p12Path: string;
  readonly password: string;
  /** PEM of the keystore's certificate, for checks that need no private key. */
  readonly certPem: string;
  readonly serialNumber: string;
}

export interface PersonalKeystore extends TestKeystore {
  readonly ssin: string;
}

export interface OrganisationKeystore extends TestKeystore {
  readonly nihii: string;
  readonly name: string;
}

export interface TestEid {
  readonly module: string;
  /** SOFTHSM2_CONF to set before the module is initialised (read once by SoftHSM). */
  readonly conf: string;
  readonly tokenLabel: string;
  /** EC P-384 like an eID issued since about 2021, RSA like an older card. */
  readonly keyAlgorithm: "RSA" | "EC";
  readonly pin: string;
  readonly soPin: string;
  readonly keyLabel: string;
  /** CKA_ID of the key and certificate, hexadecimal. */
  readonly keyId: string;
  readonly certPem: string;
  readonly ssin: string;
  readonly givenName: string;
  readonly surname: string;
}

export interface TestPki {
  readonly version: 2;
  readonly dir: string;
  readonly options: TestPkiOptions;
  readonly createdAt: string;
  readonly ca: PemPair;
  readonly sts: PemPair;
  /** A CA nobody trusts: it issued `foreignPersonal`. */
  readonly foreignCa: PemPair;
  readonly organisation: OrganisationKeystore;
  readonly personal: PersonalKeystore;
  /** Issued by the test CA, then listed in `revokedSerials`. */
  readonly revokedPersonal: PersonalKeystore;
  readonly foreignPersonal: PersonalKeystore;
  /** Upper-case hexadecimal serials, as node's X509Certificate prints them. */
  readonly revokedSerials: readonly string[];
  /** A recent eID: EC P-384 keys "Signature" (listed first, never used) and "Authentication". */
  readonly eid: TestEid;
  /** An older eID (RSA), token label `<label>-rsa`, in the same SoftHSM directory. */
  readonly eidRsa: TestEid;
  readonly holder: { readonly ssin: string; readonly nihii: string; readonly name: string };
  readonly pharmacy: { readonly nihii: string; readonly name: string };
}

/**
 * The demo's and the stand-alone simulator's PKI: the same, but the SoftHSM eIDs (both or
 * neither) only when SoftHSM2 is installed (a fresh machine has no system package; README "Start").
 */
export type DemoPki = Omit<TestPki, "eid" | "eidRsa"> & {
  readonly eid?: TestEid;
  readonly eidRsa?: TestEid;
};

export function mergeOptions(partial: Partial<TestPkiOptions> = {}): TestPkiOptions {
  return {
    ...DEFAULT_TEST_PKI_OPTIONS,
    ...partial,
    pharmacy: { ...DEFAULT_TEST_PKI_OPTIONS.pharmacy, ...partial.pharmacy },
    holder: { ...DEFAULT_TEST_PKI_OPTIONS.holder, ...partial.holder },
    token: { ...DEFAULT_TEST_PKI_OPTIONS.token, ...partial.token },
  };
}

/** Canonical JSON (sorted keys) so that two equal option sets compare equal as strings. */
export function optionsKey(options: TestPkiOptions): string {
  const sort = (value: unknown): unknown =>
    value !== null && typeof value === "object"
      ? Object.fromEntries(
          Object.entries(value)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => [k, sort(v)]),
        )
      : value;
  return JSON.stringify(sort(options));
}
