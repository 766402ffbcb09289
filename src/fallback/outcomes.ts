// What each leaf of the tree means at the counter, after the wording of brochure §9.2
// ("Calcul du ticket modérateur avec …").
import type { Lang } from "../errors.js";
import type { LeafOutcome } from "./types.js";

export const outcomeTexts: Readonly<Record<LeafOutcome, Readonly<Record<Lang, string>>>> = {
  online: {
    fr: "Ticket modérateur calculé avec les données de la consultation d'assurabilité en ligne : engagement de paiement.",
    nl: "Remgeld berekend met de gegevens van de online raadpleging van de verzekerbaarheid: betalingsverbintenis.",
    en: "Patient share computed with the online insurability data: payment commitment.",
  },
  "reused-commitment": {
    fr: "Ticket modérateur calculé avec les données de l'engagement de paiement enregistré qui couvre la date : engagement de paiement.",
    nl: "Remgeld berekend met de gegevens van de bewaarde betalingsverbintenis die de datum dekt: betalingsverbintenis.",
    en: "Patient share computed with the stored payment commitment covering the date: payment commitment.",
  },
  "last-known": {
    fr: "Ticket modérateur calculé avec les données de la dernière consultation d'assurabilité en ligne connue : principe de base.",
    nl: "Remgeld berekend met de gegevens van de laatst gekende online raadpleging van de verzekerbaarheid: basisprincipe.",
    en: "Patient share computed with the last known online insurability data: basic principle.",
  },
  "sis-card": {
    fr: "Ticket modérateur calculé avec les données de la carte SIS : engagement de paiement SIS.",
    nl: "Remgeld berekend met de gegevens van de SIS-kaart: SIS-betalingsverbintenis.",
    en: "Patient share computed with the SIS card data: SIS payment commitment.",
  },
  document: {
    fr: "Ticket modérateur calculé avec les données du document : principe de base.",
    nl: "Remgeld berekend met de gegevens van het document: basisprincipe.",
    en: "Patient share computed with the document's data: basic principle.",
  },
  "model-704": {
    fr: "Délivrance modèle 704, sans tiers payant (annexe 30 du règlement des soins de santé).",
    nl: "Aflevering model 704, zonder derdebetaler (bijlage 30 van de verordening geneeskundige verzorging).",
    en: "Model 704 delivery, without third-party payment (annex 30 of the health care regulation).",
  },
};

export function outcomeText(outcome: LeafOutcome, lang: Lang): string {
  return outcomeTexts[outcome][lang];
}
