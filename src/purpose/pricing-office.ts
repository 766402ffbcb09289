// Whether the pricing office (office de tarification, OT) may consult MyCareNet for a request
// (SPEC §1.6, brochure §8.2.2.7): only for a person whose invoice was rejected for an
// insurability error, only for a delivery the pharmacy really made, and a limited number of
// times per rejection. Pure: the caller gathers the facts from the store.
import { compareDays, type Day } from "../commitment/index.js";
import type { Lang } from "../errors.js";
import { fail, ok, type Result } from "../result.js";

/** The stable sub-code of PURPOSE_NOT_ALLOWED (`reason` in the problem). */
export type PurposeReason =
  | "MANDATE_REQUIRED"
  | "REASON_NOT_INSURABILITY"
  | "REJECTION_IN_FUTURE"
  | "REJECTION_BEFORE_DELIVERY"
  | "NO_DELIVERY_ON_RECORD"
  | "REJECTION_USES_EXHAUSTED";

export const PURPOSE_REASONS: readonly PurposeReason[] = [
  "MANDATE_REQUIRED",
  "REASON_NOT_INSURABILITY",
  "REJECTION_IN_FUTURE",
  "REJECTION_BEFORE_DELIVERY",
  "NO_DELIVERY_ON_RECORD",
  "REJECTION_USES_EXHAUSTED",
];

export interface PricingOfficePolicy {
  /** eFact rejection codes that are insurability errors (MCN_PRICING_OFFICE_REASONS). */
  readonly insurabilityReasons: ReadonlySet<string>;
  /** How many answered consultations one rejection allows (MCN_PRICING_OFFICE_MAX_USES). */
  readonly maxUsesPerRejection: number;
}

export interface PricingOfficeFacts {
  readonly reasonCode: string;
  readonly deliveryDate: Day;
  readonly rejectedOn: Day;
  readonly today: Day;
  /** The pharmacy has a consultation (online or fallback) for this patient and delivery date. */
  readonly deliveryOnRecord: boolean;
  /** Answered pricing-office consultations already made for this rejection. */
  readonly previousUses: number;
}

/** The first rule the request breaks, in the order a pricing office would fix them. */
export function checkPricingOfficePurpose(
  facts: PricingOfficeFacts,
  policy: PricingOfficePolicy,
): Result<void, PurposeReason> {
  if (!policy.insurabilityReasons.has(facts.reasonCode)) return fail("REASON_NOT_INSURABILITY");
  if (compareDays(facts.rejectedOn, facts.today) > 0) return fail("REJECTION_IN_FUTURE");
  // An invoice is rejected after the delivery it bills, never before.
  if (compareDays(facts.rejectedOn, facts.deliveryDate) < 0) return fail("REJECTION_BEFORE_DELIVERY");
  if (!facts.deliveryOnRecord) return fail("NO_DELIVERY_ON_RECORD");
  if (facts.previousUses >= policy.maxUsesPerRejection)
    return fail("REJECTION_USES_EXHAUSTED", { uses: facts.previousUses, limit: policy.maxUsesPerRejection });
  return ok(undefined);
}

/**
 * The key uses per rejection are counted by: the invoice reference without case, spaces or
 * punctuation (`OT-2025/0042`, `ot 2025 0042` and `OT20250042` are one invoice), so that
 * rewriting the free text does not open a new allowance.
 */
export function rejectionKey(invoiceReference: string): string {
  return invoiceReference
    .normalize("NFKC")
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, "");
}

const MESSAGES: Readonly<Record<PurposeReason, Readonly<Record<Lang, string>>>> = {
  MANDATE_REQUIRED: {
    fr: "Aucun mandat du pharmacien titulaire pour le service d'assurabilité ne couvre ce mandataire aujourd'hui : hors mandat, l'office de tarification consulte uniquement via le portail MyCareNet (brochure §8.2.2.7).",
    nl: "Geen mandaat van de titularis-apotheker voor de verzekerbaarheidsdienst dekt deze mandataris vandaag: zonder mandaat raadpleegt de tariferingsdienst enkel via het MyCareNet-portaal (brochure §8.2.2.7).",
    en: "No mandate of the titular pharmacist for the insurability service covers this mandatary today: without a mandate the pricing office consults through the MyCareNet portal only (brochure §8.2.2.7).",
  },
  REASON_NOT_INSURABILITY: {
    fr: "Le code de rejet n'est pas une erreur d'assurabilité : l'office de tarification ne peut consulter que pour un rejet d'assurabilité.",
    nl: "De weigeringscode is geen verzekerbaarheidsfout: de tariferingsdienst mag enkel raadplegen na een weigering wegens verzekerbaarheid.",
    en: "The rejection code is not an insurability error: the pricing office may consult only for an insurability rejection.",
  },
  REJECTION_IN_FUTURE: {
    fr: "La date du rejet est postérieure à aujourd'hui.",
    nl: "De datum van de weigering ligt na vandaag.",
    en: "The rejection date is later than today.",
  },
  REJECTION_BEFORE_DELIVERY: {
    fr: "La date du rejet précède la date de délivrance : une facture est rejetée après la délivrance qu'elle facture.",
    nl: "De datum van de weigering ligt vóór de afleveringsdatum: een factuur wordt geweigerd na de aflevering die ze factureert.",
    en: "The rejection date is before the delivery date: an invoice is rejected after the delivery it bills.",
  },
  NO_DELIVERY_ON_RECORD: {
    fr: "La pharmacie n'a aucune consultation ni délivrance de secours pour ce patient à cette date de délivrance.",
    nl: "De apotheek heeft geen raadpleging of noodaflevering voor deze patiënt op deze afleveringsdatum.",
    en: "The pharmacy has no consultation or fallback delivery for this patient at this delivery date.",
  },
  REJECTION_USES_EXHAUSTED: {
    fr: "Ce rejet a déjà donné lieu au nombre de consultations permis.",
    nl: "Voor deze weigering werd het toegestane aantal raadplegingen al uitgevoerd.",
    en: "This rejection has already been used for the number of consultations allowed.",
  },
};

export function purposeReasonMessage(reason: PurposeReason, lang: Lang): string {
  return MESSAGES[reason][lang];
}
