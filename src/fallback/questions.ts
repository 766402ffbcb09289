// The tree's questions as the pharmacist console shows them, after the wording of brochure §9.2.
import type { Lang } from "../errors.js";
import type { QuestionCode } from "./types.js";

export const questionTexts: Readonly<Record<QuestionCode, Readonly<Record<Lang, string>>>> = {
  NETWORK_AVAILABLE: {
    fr: "Le réseau est-il disponible ?",
    nl: "Is het netwerk beschikbaar?",
    en: "Is the network available?",
  },
  PATIENT_KNOWN: {
    fr: "Le patient est-il connu dans la base de données de la pharmacie ?",
    nl: "Is de patiënt gekend in de databank van de apotheek?",
    en: "Is the patient known in the pharmacy's database?",
  },
  COMMITMENT_COVERS_DATE: {
    fr: "La date de délivrance est-elle dans la période de couverture de l'engagement de paiement trouvé ?",
    nl: "Valt de afleveringsdatum binnen de dekkingsperiode van de gevonden betalingsverbintenis?",
    en: "Is the delivery date within the coverage period of the payment commitment found?",
  },
  TRUST_LAST_KNOWN: {
    fr: "Avez-vous suffisamment d'éléments pour avoir confiance dans les données de la dernière consultation d'assurabilité en ligne connue ?",
    nl: "Hebt u voldoende elementen om de gegevens van de laatst gekende online raadpleging van de verzekerbaarheid te vertrouwen?",
    en: "Do you have enough elements to trust the data of the last known online insurability consultation?",
  },
  SIS_CARD: {
    fr: "Le patient a-t-il sa carte SIS ?",
    nl: "Heeft de patiënt zijn SIS-kaart bij zich?",
    en: "Does the patient have their SIS card?",
  },
  OTHER_DOCUMENT: {
    fr: "Le patient a-t-il un autre document (par exemple une vignette de mutualité) ?",
    nl: "Heeft de patiënt een ander document (bijvoorbeeld een kleefbriefje van het ziekenfonds)?",
    en: "Does the patient have another document (for example a mutuality sticker)?",
  },
  TRUST_DOCUMENT: {
    fr: "Avez-vous suffisamment d'éléments pour avoir confiance dans ce document ?",
    nl: "Hebt u voldoende elementen om dit document te vertrouwen?",
    en: "Do you have enough elements to trust this document?",
  },
};

export function questionText(code: QuestionCode, lang: Lang): string {
  return questionTexts[code][lang];
}
