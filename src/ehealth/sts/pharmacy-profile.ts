// The pharmacy attribute profile of an eHealth session (mycarenet-protocol §0.4, §3.6; Recip-e
// pharmacy connector): identification attributes sent with their values, and the designators
// the STS resolves. The two certified booleans must come back "true" for the session to be
// usable (§3.5: the connector refuses a session where either is false).

export const IDENTIFICATION_NAMESPACE = "urn:be:fgov:identification-namespace";
export const CERTIFIED_NAMESPACE = "urn:be:fgov:certified-namespace:ehealth";

export const PHARMACY_ATTRIBUTE = {
  certificateHolderSsin: "urn:be:fgov:ehealth:1.0:certificateholder:person:ssin",
  pharmacyNihii: "urn:be:fgov:ehealth:1.0:pharmacy:nihii-number",
  personSsin: "urn:be:fgov:person:ssin",
  pharmacyHolderSsin: "urn:be:fgov:person:ssin:ehealth:1.0:pharmacy-holder",
  recognisedPharmacy: "urn:be:fgov:ehealth:1.0:pharmacy:nihii-number:recognisedpharmacy:boolean",
  holderNihii11: "urn:be:fgov:person:ssin:ehealth:1.0:pharmacy-holder:certified:nihii11",
  pharmacyHolder:
    "urn:be:fgov:ehealth:1.0:pharmacy:nihii-number:person:ssin:ehealth:1.0:pharmacy-holder:boolean",
} as const;

export interface ProfileAttribute {
  readonly name: string;
  readonly namespace: string;
}

export interface IdentificationAttribute extends ProfileAttribute {
  readonly value: string;
}

const A = PHARMACY_ATTRIBUTE;
const id = (name: string): ProfileAttribute => ({ name, namespace: IDENTIFICATION_NAMESPACE });
const certified = (name: string): ProfileAttribute => ({ name, namespace: CERTIFIED_NAMESPACE });

/** The values we assert: who uses the certificate, for which pharmacy, whose holder is who. */
export function identificationAttributes(p: {
  userSsin: string;
  holderSsin: string;
  pharmacyNihii: string;
}): IdentificationAttribute[] {
  return [
    { ...id(A.certificateHolderSsin), value: p.userSsin },
    { ...id(A.pharmacyNihii), value: p.pharmacyNihii },
    { ...id(A.personSsin), value: p.userSsin },
    { ...id(A.pharmacyHolderSsin), value: p.holderSsin },
  ];
}

/** What we ask the STS to put in the assertion, in the connector's order. */
export const PHARMACY_DESIGNATORS: readonly ProfileAttribute[] = [
  id(A.certificateHolderSsin),
  id(A.pharmacyNihii),
  certified(A.recognisedPharmacy),
  id(A.personSsin),
  id(A.pharmacyHolderSsin),
  certified(A.holderNihii11),
  certified(A.pharmacyHolder),
];

/** Certified attributes that must be "true" in the issued assertion. */
export const REQUIRED_TRUE: readonly string[] = [A.recognisedPharmacy, A.pharmacyHolder];
