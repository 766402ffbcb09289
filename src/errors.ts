// The one catalogue of stable codes. A code is never renamed or reused; new ones are appended.
// Each carries its HTTP status and a message in French, Dutch and English. Warnings share the
// catalogue so that integrators find every code they may meet in one place.

export type Lang = "fr" | "nl" | "en";

interface Entry {
  readonly status: number;
  readonly kind: "error" | "warning";
  readonly fr: string;
  readonly nl: string;
  readonly en: string;
}

const e = (status: number, fr: string, nl: string, en: string): Entry => ({ status, kind: "error", fr, nl, en });
const w = (fr: string, nl: string, en: string): Entry => ({ status: 200, kind: "warning", fr, nl, en });

export const catalogue = {
  // identifiers (SPEC §1.1)
  NISS_FORMAT: e(
    400,
    "Le NISS doit compter 11 chiffres (espaces, points, tirets et barres obliques sont ignorés).",
    "Het INSZ moet 11 cijfers tellen (spaties, punten, streepjes en schuine strepen worden genegeerd).",
    "The NISS must have 11 digits (spaces, dots, dashes and slashes are ignored).",
  ),
  NISS_CHECKSUM: e(
    400,
    "Les chiffres de contrôle du NISS ne correspondent pas.",
    "De controlecijfers van het INSZ kloppen niet.",
    "The NISS check digits do not match.",
  ),
  NISS_MONTH: e(
    400,
    "Le mois du NISS n'existe pas (01–12, ou 21–32 et 41–52 pour un numéro BIS).",
    "De maand van het INSZ bestaat niet (01–12, of 21–32 en 41–52 voor een BIS-nummer).",
    "The NISS month does not exist (01–12, or 21–32 and 41–52 for a BIS number).",
  ),
  NIHII_FORMAT: e(
    400,
    "Le numéro INAMI doit compter 8 chiffres (pharmacie) ou 11 chiffres (personne).",
    "Het RIZIV-nummer moet 8 cijfers (apotheek) of 11 cijfers (persoon) tellen.",
    "The NIHII number must have 8 digits (pharmacy) or 11 digits (person).",
  ),
  NIHII_CHECKSUM: e(
    400,
    "Les chiffres de contrôle du numéro INAMI ne correspondent pas.",
    "De controlecijfers van het RIZIV-nummer kloppen niet.",
    "The NIHII check digits do not match.",
  ),
  MUTUALITY_FORMAT: e(
    400,
    "Le code mutualité doit être 750, 999 ou un nombre de 100 à 699 ou de 900 à 999.",
    "De ziekenfondscode moet 750, 999 of een getal van 100 tot 699 of van 900 tot 999 zijn.",
    "The mutuality code must be 750, 999 or a number from 100 to 699 or 900 to 999.",
  ),
  REGISTRATION_NUMBER_FORMAT: e(
    400,
    "Le numéro d'inscription à la mutualité doit compter de 1 à 13 caractères.",
    "Het inschrijvingsnummer bij het ziekenfonds moet 1 tot 13 tekens tellen.",
    "The registration number with the mutuality must have 1 to 13 characters.",
  ),
  PATIENT_IDENTIFICATION: e(
    400,
    "Identifiez le patient soit par son NISS, soit par sa mutualité et son numéro d'inscription.",
    "Identificeer de patiënt met het INSZ, of met het ziekenfonds en het inschrijvingsnummer.",
    "Identify the patient either by NISS, or by mutuality and registration number.",
  ),
  // dates and coverage (SPEC §1.3)
  DATE_FORMAT: e(
    400,
    "La date doit être une date de calendrier au format AAAA-MM-JJ.",
    "De datum moet een kalenderdag zijn in het formaat JJJJ-MM-DD.",
    "The date must be a calendar day in the form YYYY-MM-DD.",
  ),
  DATE_IN_FUTURE: e(
    400,
    "La date de délivrance ne peut pas être postérieure à la date de consultation.",
    "De afleveringsdatum mag niet later zijn dan de raadplegingsdatum.",
    "The delivery date cannot be later than the consultation date.",
  ),
  // requests
  REQUEST_INVALID: e(
    400,
    "La requête ne respecte pas le contrat de l'API.",
    "Het verzoek voldoet niet aan het API-contract.",
    "The request does not follow the API contract.",
  ),
  BODY_TOO_LARGE: e(413, "La requête est trop volumineuse.", "Het verzoek is te groot.", "The request is too large."),
  UNSUPPORTED_MEDIA_TYPE: e(
    415,
    "Le corps de la requête doit être du JSON.",
    "De inhoud van het verzoek moet JSON zijn.",
    "The request body must be JSON.",
  ),
  NOT_FOUND: e(404, "Cette ressource n'existe pas.", "Deze bron bestaat niet.", "This resource does not exist."),
  METHOD_NOT_ALLOWED: e(
    405,
    "Cette méthode n'est pas permise ici.",
    "Deze methode is hier niet toegestaan.",
    "This method is not allowed here.",
  ),
  AUTH_REQUIRED: e(
    401,
    "Un jeton d'accès est requis (Authorization: Bearer …).",
    "Een toegangstoken is vereist (Authorization: Bearer …).",
    "An access token is required (Authorization: Bearer …).",
  ),
  AUTH_INVALID: e(401, "Ce jeton d'accès est inconnu.", "Dit toegangstoken is onbekend.", "This access token is unknown."),
  ROLE_FORBIDDEN: e(
    403,
    "Votre rôle ne permet pas cette opération.",
    "Uw rol laat deze handeling niet toe.",
    "Your role does not allow this operation.",
  ),
  INTERNAL: e(
    500,
    "Erreur interne : le détail est dans le journal du démon.",
    "Interne fout: de details staan in het logboek van de daemon.",
    "Internal error: the detail is in the daemon's log.",
  ),
} as const satisfies Record<string, Entry>;

export type Code = keyof typeof catalogue;

export function isCode(value: string): value is Code {
  return Object.hasOwn(catalogue, value);
}

export function messageFor(code: Code, lang: Lang): string {
  return catalogue[code][lang];
}

/** An error carrying a stable code; adapters map it to their protocol (HTTP problem, CLI line). */
export class CodedError extends Error {
  readonly code: Code;
  readonly detail: Readonly<Record<string, unknown>> | undefined;
  constructor(code: Code, detail?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(catalogue[code].en, options);
    this.name = "CodedError";
    this.code = code;
    this.detail = detail;
  }
}
