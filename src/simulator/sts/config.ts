// What the simulated eHealth STS knows and how it behaves. One mutable object: the simulator's
// control API (and tests) change `mode`, the registry or the lifetime while it runs; the
// endpoint reads it afresh on every request.
import { createPrivateKey, X509Certificate } from "node:crypto";
import { MemorySigner } from "../../ehealth/keys/memory.js";
import type { Signer } from "../../ehealth/keys/signer.js";
import type { DemoPki } from "../pki/index.js";

export type StsMode =
  /** Answers as eHealth does. */
  | "normal"
  /** SOAP fault soa:SystemError (`systemErrorCode`), HTTP 500. */
  | "system-error"
  /** The HTTP server closes the connection without answering. */
  | "down"
  /** Assertions signed with a key that is not the STS certificate's. */
  | "wrong-key";

export interface PharmacyRegistration {
  /** SSIN of the titular pharmacist (pharmacy-holder). */
  readonly holderSsin: string;
  /** The holder's NIHII-11 (a titular pharmacist's ends in 001). */
  readonly holderNihii11: string;
}

export interface StsSimulatorConfig {
  mode: StsMode;
  systemErrorCode: "SOA-02001" | "SOA-02002";
  /** CAs whose certificates may sign requests and be holder-of-key (DER). */
  trustedCaDer: Buffer[];
  /** Upper-case hexadecimal serials, as node's X509Certificate prints them. */
  revokedSerials: string[];
  /** The STS's own key and certificate: signs the assertions. */
  stsSigner: Signer;
  /** Pharmacy NIHII (8 digits) → its holder. */
  pharmacies: Record<string, PharmacyRegistration>;
  /**
   * SSINs of the pharmacists of INAMI's authentic source (the PKI's titular by default): who may
   * open a pharmacy's session besides its registered titular (brochure §8.2.2.3). Tests add
   * colleagues here.
   */
  pharmacists: string[];
  /** Longest lifetime issued; the request may ask for less. Seconds. */
  lifetimeSeconds: number;
  /** Clock tolerance on the request's Timestamp. Seconds. */
  maxSkewSeconds: number;
  clock: () => Date;
  /** Strict mode: validates the samlp:Request against the SAML 1.1 protocol XSD. */
  validate?: (payloadXml: string) => Promise<{ ok: boolean }>;
}

/** The simulator's default STS over the test PKI: the PKI's pharmacy and holder are registered. */
export function stsConfigFromPki(
  pki: DemoPki,
  overrides: Partial<StsSimulatorConfig> = {},
): StsSimulatorConfig {
  const der = (pem: string): Buffer => Buffer.from(new X509Certificate(pem).raw);
  return {
    mode: "normal",
    systemErrorCode: "SOA-02001",
    trustedCaDer: [der(pki.ca.certPem)],
    revokedSerials: [...pki.revokedSerials],
    stsSigner: new MemorySigner(createPrivateKey(pki.sts.keyPem), der(pki.sts.certPem)),
    pharmacies: { [pki.pharmacy.nihii]: { holderSsin: pki.holder.ssin, holderNihii11: pki.holder.nihii } },
    pharmacists: [pki.holder.ssin],
    lifetimeSeconds: 12 * 3600,
    maxSkewSeconds: 60,
    clock: () => new Date(),
    ...overrides,
  };
}
