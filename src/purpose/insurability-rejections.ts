// The invoice rejections that open the pricing office's access to MyCareNet (brochure §8.2.2.7:
// only for insured persons "pour lesquels l'OT a reçu un refus de paiement lors d'une première
// introduction de facture parce que les données relatives à l'assurabilité comportaient une
// erreur").
//
// No official list of "insurability" rejection codes was found. The default below is our choice:
// the eFact error codes of the individual invoice record (ET 20) whose wording is about the
// beneficiary's insurability (known to the insurer, in order, mutuality, CT1-CT2, the network
// consultation's approval number, SIS data). Codes and wording as in the eFact error list
// copied in taktik/freehealth-connector `src/main/resources/be/errors/EfactErrors.json`.
// MCN_PRICING_OFFICE_REASONS replaces the list (README, "Pricing office").

/** Six digits: record type (2), zone (2), error (2). */
export const REJECTION_CODE = /^[0-9]{6}$/;

export const DEFAULT_INSURABILITY_REJECTIONS: Readonly<Record<string, string>> = Object.freeze({
  "200710": "mutuality of affiliation does not match the mutuality of destination",
  "200742": "beneficiary not known to the mutuality of affiliation",
  "200820": "beneficiary not known in the insurer's file",
  "200840": "beneficiary not in order (major and/or minor risks) for the invoiced period",
  "200841": "beneficiary not in order (minor risks) for the invoiced period",
  "201810": "mutuality of destination does not match the mutuality of affiliation",
  "202703": "CT1-CT2 not allowed",
  "202710": "CT1-CT2 combination not allowed",
  "202720": "CT1-CT2 does not match the payment commitment",
  "202760": "CT1-CT2 matches the SIS card but not the insurer's file",
  "202761": "CT1-CT2 matches the SIS card but not the member file (lower right)",
  "202762": "CT1-CT2 matches the SIS card but not the member file (higher right)",
  "204225": "approval number of the network consultation incorrect",
  "204226": "approval number of the network consultation expired",
  "204335": "delivery date outside the insurability periods (SIS card)",
  "204336": "CT1-CT2 does not match the SIS card",
});

export const DEFAULT_INSURABILITY_REJECTION_CODES: readonly string[] = Object.keys(
  DEFAULT_INSURABILITY_REJECTIONS,
);
