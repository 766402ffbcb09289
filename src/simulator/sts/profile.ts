// What the simulated STS issues for a pharmacy session, either door (mycarenet-protocol §3.5,
// §3.6): the refusals of the pharmacy profile, or the attributes of the assertion.
// Brochure §8.2.2.3: any pharmacist of INAMI's authentic source may open the pharmacy's session
// with its organisation certificate and their own eID; eHealth links the pharmacy to its titular
// itself. So the person authenticated must be a registered pharmacist (else a refusal), and
// pharmacy-holder:boolean certifies the `pharmacy-holder` SSIN the request names (whether it is
// this pharmacy's titular), not that the person opening is the titular.
import { describeCertificate } from "../../ehealth/keys/certificate.js";
import {
  CERTIFIED_NAMESPACE,
  IDENTIFICATION_NAMESPACE,
  PHARMACY_ATTRIBUTE as A,
} from "../../ehealth/sts/pharmacy-profile.js";
import { isNihii } from "../oracle/index.js";
import type { MintedAttribute } from "../../ehealth/sts/server/assertion-minter.js";
import type { StsSimulatorConfig } from "./config.js";
import type { SessionAsked } from "../../ehealth/sts/server/session-asked.js";

/** The attributes to issue, or the refusal message. */
export function checkProfile(
  facts: Pick<SessionAsked, "identification" | "designators">,
  identificationDer: Buffer,
  hokDer: Buffer,
  config: StsSimulatorConfig,
): MintedAttribute[] | string {
  const value = (name: string): string | undefined => facts.identification.get(name)?.value;
  const pharmacyNihii = value(A.pharmacyNihii) ?? "";
  if (pharmacyNihii.length !== 8 || !isNihii(pharmacyNihii)) return "The pharmacy NIHII number is invalid";
  const registration = config.pharmacies[pharmacyNihii];
  if (!registration) return "Unknown pharmacy";
  if (describeCertificate(hokDer).nihiiPharmacy !== pharmacyNihii) {
    return "The holder-of-key certificate does not belong to this pharmacy";
  }
  const ssin = describeCertificate(identificationDer).ssin;
  if (!ssin) return "The authentication certificate names no person";
  if (value(A.certificateHolderSsin) !== ssin || value(A.personSsin) !== ssin) {
    return "The identification attributes do not match the authentication certificate";
  }
  if (ssin !== registration.holderSsin && !config.pharmacists.includes(ssin)) {
    return "The authenticated person is not a pharmacist of the authentic source";
  }
  // A titular pharmacist: `2/…/…/001` (domain-rules §2.1).
  const holderNihii = registration.holderNihii11;
  const isHolder =
    value(A.pharmacyHolderSsin) === registration.holderSsin &&
    holderNihii.length === 11 &&
    isNihii(holderNihii) &&
    holderNihii.startsWith("2") &&
    holderNihii.endsWith("001");

  const out: MintedAttribute[] = [];
  for (const [name, attr] of facts.identification) {
    if (attr.namespace === IDENTIFICATION_NAMESPACE)
      out.push({ name, namespace: attr.namespace, value: attr.value });
  }
  const certified: Record<string, string> = {
    [A.recognisedPharmacy]: "true",
    [A.holderNihii11]: registration.holderNihii11,
    [A.pharmacyHolder]: isHolder ? "true" : "false",
  };
  for (const d of facts.designators) {
    const resolved = d.namespace === CERTIFIED_NAMESPACE ? certified[d.name] : undefined;
    if (resolved !== undefined) out.push({ name: d.name, namespace: CERTIFIED_NAMESPACE, value: resolved });
  }
  return out;
}
