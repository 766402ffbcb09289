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

const e = (status: number, fr: string, nl: string, en: string): Entry => ({
  status,
  kind: "error",
  fr,
  nl,
  en,
});
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
  NO_RIGHT_AT_DATE: e(
    422,
    "Aucun droit à l'assurabilité à la date de délivrance : pas d'engagement de paiement.",
    "Geen recht op verzekerbaarheid op de afleveringsdatum: geen betalingsverbintenis.",
    "No insurability right at the delivery date: no payment commitment.",
  ),
  // MyCareNet answers (SPEC §2; ReturnCode table in src/ehealth/insurability/return-codes.ts)
  PATIENT_UNKNOWN: e(
    404,
    "Aucun organisme assureur ne connaît ce patient (NISS ou numéro d'inscription inconnu).",
    "Geen enkele verzekeringsinstelling kent deze patiënt (INSZ of inschrijvingsnummer onbekend).",
    "No insurer knows this patient (unknown NISS or registration number).",
  ),
  MULTIPLE_INSURERS: e(
    409,
    "Plusieurs organismes assureurs se déclarent compétents pour ce patient à cette date : contactez la mutualité.",
    "Meerdere verzekeringsinstellingen verklaren zich bevoegd voor deze patiënt op deze datum: neem contact op met het ziekenfonds.",
    "Several insurers claim this patient at this date: contact the mutuality.",
  ),
  MYCARENET_REJECTED: e(
    422,
    "MyCareNet a refusé la demande (données d'identification ou message non conformes) ; le détail est dans le journal.",
    "MyCareNet heeft de aanvraag geweigerd (identificatiegegevens of bericht niet conform); de details staan in het logboek.",
    "MyCareNet refused the request (identification data or message not conforming); the detail is in the log.",
  ),
  // fallback tree (SPEC §1.4)
  COMMITMENT_NOT_FOUND: e(
    404,
    "Aucun engagement de paiement enregistré ne couvre cette date de délivrance (brochure §5.3).",
    "Geen opgeslagen betalingsverbintenis dekt deze afleveringsdatum (brochure §5.3).",
    "No stored payment commitment covers this delivery date (brochure §5.3).",
  ),
  FALLBACK_ANSWER_OFF_PATH: e(
    422,
    "Une réponse du pharmacien porte sur une question que le scénario de secours ne pose pas.",
    "Een antwoord van de apotheker betreft een vraag die het noodscenario niet stelt.",
    "A pharmacist's answer concerns a question the fallback path does not ask.",
  ),
  // store: consultations, deliveries, fallback answers, recalls (SPEC §1.4, §1.6)
  CONSULTATION_NOT_FOUND: e(
    404,
    "Cette consultation n'existe pas (ou a été purgée au terme de la durée de conservation).",
    "Deze raadpleging bestaat niet (of werd gewist na afloop van de bewaartermijn).",
    "This consultation does not exist (or was purged at the end of the retention period).",
  ),
  DELIVERY_ALREADY_CONFIRMED: e(
    409,
    "La délivrance de cette consultation a déjà été confirmée.",
    "De aflevering van deze raadpleging werd al bevestigd.",
    "The delivery for this consultation was already confirmed.",
  ),
  DELIVERED_BEFORE_DELIVERY_DATE: e(
    422,
    "La délivrance ne peut pas précéder la date de délivrance pour laquelle l'assurabilité a été consultée.",
    "De aflevering kan niet vóór de afleveringsdatum liggen waarvoor de verzekerbaarheid werd geraadpleegd.",
    "The delivery cannot be before the delivery date the insurability was consulted for.",
  ),
  DELIVERED_IN_FUTURE: e(
    422,
    "La date de délivrance confirmée ne peut pas être dans le futur.",
    "De bevestigde afleveringsdatum mag niet in de toekomst liggen.",
    "The confirmed delivery day cannot be in the future.",
  ),
  CHANGES_CURSOR_INVALID: e(
    400,
    "Le curseur du flux de changements n'est pas valable : reprenez celui de la réponse précédente.",
    "De cursor van de wijzigingsstroom is ongeldig: gebruik die van het vorige antwoord.",
    "The change feed cursor is not valid: pass the one from the previous answer.",
  ),
  FALLBACK_ALREADY_ANSWERED: e(
    409,
    "Le pharmacien a déjà répondu à cette question du scénario de secours ; une réponse ne se modifie pas.",
    "De apotheker heeft deze vraag van het noodscenario al beantwoord; een antwoord kan niet worden gewijzigd.",
    "The pharmacist already answered this fallback question; an answer cannot be changed.",
  ),
  FALLBACK_NOT_PENDING: e(
    409,
    "Cette consultation n'attend aucune réponse du pharmacien (consultation en ligne, engagement réutilisé ou scénario de secours déjà terminé).",
    "Deze raadpleging wacht niet op een antwoord van de apotheker (online raadpleging, hergebruikte verbintenis of noodscenario al afgerond).",
    "This consultation awaits no pharmacist answer (online consultation, reused commitment or fallback already completed).",
  ),
  FALLBACK_DATA_REQUIRED: e(
    422,
    "Les données lues sur la carte SIS ou sur le document (CT1, CT2, mutualité) sont requises pour cette réponse.",
    "De gegevens van de SIS-kaart of van het document (CG1, CG2, ziekenfonds) zijn vereist voor dit antwoord.",
    "The data read from the SIS card or the document (CT1, CT2, mutuality) is required with this answer.",
  ),
  FALLBACK_DATA_INVALID: e(
    422,
    "Les données de la carte SIS ou du document sont invalides : CT1 et CT2 comptent 3 chiffres, la mutualité est un code valide, le numéro d'inscription compte au plus 13 caractères.",
    "De gegevens van de SIS-kaart of van het document zijn ongeldig: CG1 en CG2 tellen 3 cijfers, het ziekenfonds is een geldige code, het inschrijvingsnummer telt hoogstens 13 tekens.",
    "The SIS card or document data is invalid: CT1 and CT2 have 3 digits, the mutuality is a valid code, the registration number has at most 13 characters.",
  ),
  FALLBACK_DATA_UNEXPECTED: e(
    422,
    "Des données de carte SIS ou de document accompagnent une réponse qui ne les utilise pas (seuls « carte SIS : oui » et « confiance dans le document : oui » en ont).",
    "Gegevens van een SIS-kaart of document vergezellen een antwoord dat ze niet gebruikt (alleen „SIS-kaart: ja” en „vertrouwen in het document: ja” hebben ze).",
    'SIS card or document data comes with an answer that does not use it (only "SIS card: yes" and "trust the document: yes" carry it).',
  ),
  RECALL_NOT_FOUND: e(
    404,
    "Ce rappel n'existe pas.",
    "Deze hercontrole bestaat niet.",
    "This recall does not exist.",
  ),
  RECALL_ALREADY_RESOLVED: e(
    409,
    "Ce rappel a déjà été vérifié en ligne.",
    "Deze hercontrole werd al online uitgevoerd.",
    "This recall was already checked online.",
  ),
  RECALL_NOT_RESOLVED: e(
    409,
    "Ce rappel n'a pas encore été vérifié en ligne ; il ne peut pas encore être clôturé.",
    "Deze hercontrole werd nog niet online uitgevoerd; ze kan nog niet worden afgesloten.",
    "This recall has not been checked online yet; it cannot be closed yet.",
  ),
  RECALL_ALREADY_HANDLED: e(
    409,
    "Ce rappel a déjà été traité par un pharmacien.",
    "Deze hercontrole werd al door een apotheker behandeld.",
    "This recall was already handled by a pharmacist.",
  ),
  STORE_UNAVAILABLE: e(
    503,
    "La base de données locale est indisponible (disque plein, verrouillée ou illisible) : rien n'a été enregistré.",
    "De lokale databank is niet beschikbaar (schijf vol, vergrendeld of onleesbaar): er werd niets bewaard.",
    "The local database is unavailable (disk full, locked or unreadable): nothing was recorded.",
  ),
  // requests
  REQUEST_INVALID: e(
    400,
    "La requête ne respecte pas le contrat de l'API.",
    "Het verzoek voldoet niet aan het API-contract.",
    "The request does not follow the API contract.",
  ),
  BODY_TOO_LARGE: e(
    413,
    "La requête est trop volumineuse.",
    "Het verzoek is te groot.",
    "The request is too large.",
  ),
  UNSUPPORTED_MEDIA_TYPE: e(
    415,
    "Le corps de la requête doit être du JSON.",
    "De inhoud van het verzoek moet JSON zijn.",
    "The request body must be JSON.",
  ),
  NOT_FOUND: e(
    404,
    "Cette ressource n'existe pas.",
    "Deze bron bestaat niet.",
    "This resource does not exist.",
  ),
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
  AUTH_INVALID: e(
    401,
    "Ce jeton d'accès est inconnu.",
    "Dit toegangstoken is onbekend.",
    "This access token is unknown.",
  ),
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
  // keys: eID through PKCS#11, eHealth keystores (SPEC §1.5; never retry a PIN automatically)
  PIN_INCORRECT: e(
    403,
    "Le code PIN est incorrect. Il n'a pas été réessayé : trois codes erronés bloquent la carte eID.",
    "De pincode is onjuist. Er werd geen nieuwe poging gedaan: drie foute codes blokkeren de eID-kaart.",
    "The PIN is incorrect. It was not retried: three wrong PINs lock the eID card.",
  ),
  PIN_LOCKED: e(
    423,
    "Le code PIN de la carte est bloqué ; faites-le débloquer avec le code PUK auprès de votre commune.",
    "De pincode van de kaart is geblokkeerd; laat hem met de PUK-code deblokkeren bij uw gemeente.",
    "The card's PIN is locked; have it unlocked with the PUK code at your municipality.",
  ),
  PIN_REQUIRED: e(
    400,
    "Le code PIN est requis : ce lecteur de cartes n'a pas de clavier pour le saisir.",
    "De pincode is vereist: deze kaartlezer heeft geen klavier om hem in te voeren.",
    "The PIN is required: this card reader has no PIN pad to enter it.",
  ),
  CARD_ABSENT: e(
    409,
    "Aucune carte eID (jeton PKCS#11) portant l'étiquette configurée n'est présente dans un lecteur.",
    "Er zit geen eID-kaart (PKCS#11-token) met het ingestelde label in een kaartlezer.",
    "No eID card (PKCS#11 token) with the configured label is present in a reader.",
  ),
  CARD_REMOVED: e(
    409,
    "La carte eID a été retirée pendant son utilisation ; réinsérez-la et ouvrez une nouvelle session.",
    "De eID-kaart werd tijdens het gebruik verwijderd; steek ze opnieuw in en open een nieuwe sessie.",
    "The eID card was removed while in use; insert it again and open a new session.",
  ),
  CARD_KEY_MISSING: e(
    409,
    "La carte ne contient pas de clé d'authentification avec son certificat (est-ce bien une eID ?).",
    "De kaart bevat geen authenticatiesleutel met certificaat (is het wel een eID?).",
    "The card holds no authentication key with its certificate (is it an eID?).",
  ),
  PKCS11_MODULE: e(
    500,
    "Le module PKCS#11 configuré ne peut pas être chargé (le logiciel eID est-il installé ?).",
    "De ingestelde PKCS#11-module kan niet worden geladen (is de eID-software geïnstalleerd?).",
    "The configured PKCS#11 module cannot be loaded (is the eID software installed?).",
  ),
  PKCS11_FAILURE: e(
    500,
    "Le lecteur de cartes ou le jeton PKCS#11 a signalé une erreur ; le code est dans le journal.",
    "De kaartlezer of het PKCS#11-token meldde een fout; de code staat in het logboek.",
    "The card reader or PKCS#11 token reported an error; the code is in the log.",
  ),
  KEYSTORE_PASSWORD: e(
    500,
    "Le mot de passe du magasin de clés PKCS#12 (certificat eHealth) est incorrect.",
    "Het wachtwoord van de PKCS#12-sleutelopslag (eHealth-certificaat) is onjuist.",
    "The password of the PKCS#12 keystore (eHealth certificate) is wrong.",
  ),
  KEYSTORE_UNREADABLE: e(
    500,
    "Le magasin de clés PKCS#12 (certificat eHealth) est introuvable, illisible ou sans clé privée.",
    "De PKCS#12-sleutelopslag (eHealth-certificaat) is niet gevonden, onleesbaar of zonder privésleutel.",
    "The PKCS#12 keystore (eHealth certificate) is missing, unreadable or holds no private key.",
  ),
  // eHealth sessions (SPEC §1.5)
  NO_SESSION: e(
    409,
    "Aucune session eHealth n'est ouverte : un pharmacien doit en ouvrir une (eID ou certificat personnel).",
    "Er is geen eHealth-sessie open: een apotheker moet er een openen (eID of persoonlijk certificaat).",
    "No eHealth session is open: a pharmacist must open one (eID or personal certificate).",
  ),
  SESSION_EXPIRED: e(
    409,
    "La session eHealth a expiré : un pharmacien doit en ouvrir une nouvelle.",
    "De eHealth-sessie is verlopen: een apotheker moet een nieuwe openen.",
    "The eHealth session has expired: a pharmacist must open a new one.",
  ),
  SESSION_NOT_FOUND: e(
    404,
    "Cette session eHealth n'existe pas ou a été fermée.",
    "Deze eHealth-sessie bestaat niet of werd gesloten.",
    "This eHealth session does not exist or was closed.",
  ),
  SESSION_METHOD_UNAVAILABLE: e(
    409,
    "Cette méthode d'ouverture de session n'est pas configurée sur ce poste.",
    "Deze manier om een sessie te openen is op deze computer niet ingesteld.",
    "This way of opening a session is not configured on this computer.",
  ),
  // eHealth STS (SPEC §2, mycarenet-protocol §3.2, §4.1)
  STS_REFUSED: e(
    403,
    "L'eHealth STS a refusé d'ouvrir la session : certificat non reconnu ou révoqué, personne absente de la source authentique des pharmaciens, ou pharmacien titulaire configuré (MCN_HOLDER_SSIN) qui n'est pas celui de cette pharmacie. Le détail est dans le journal.",
    "De eHealth-STS weigerde de sessie te openen: certificaat niet erkend of ingetrokken, persoon niet in de authentieke bron van de apothekers, of de ingestelde titularis-apotheker (MCN_HOLDER_SSIN) is niet die van deze apotheek. De details staan in het logboek.",
    "The eHealth STS refused to open the session: certificate not recognised or revoked, the person is not in the authentic source of pharmacists, or the configured titular pharmacist (MCN_HOLDER_SSIN) is not this pharmacy's. The detail is in the log.",
  ),
  STS_UNAVAILABLE: e(
    503,
    "L'eHealth STS est injoignable ou indisponible ; réessayez plus tard.",
    "De eHealth-STS is onbereikbaar of niet beschikbaar; probeer later opnieuw.",
    "The eHealth STS cannot be reached or is unavailable; try again later.",
  ),
  STS_ANSWER_INVALID: e(
    502,
    "La réponse de l'eHealth STS n'a pas pu être vérifiée (signature, période de validité ou format) : vérifiez le certificat STS configuré et l'horloge de cet ordinateur.",
    "Het antwoord van de eHealth-STS kon niet worden gecontroleerd (handtekening, geldigheidsduur of formaat): controleer het ingestelde STS-certificaat en de klok van deze computer.",
    "The eHealth STS answer could not be verified (signature, validity period or format): check the configured STS certificate and this computer's clock.",
  ),
  // purpose, proportionality and the pricing office (SPEC §1.6, brochure §7, §8.2.2.7)
  PURPOSE_NOT_ALLOWED: e(
    403,
    "Cette consultation ne répond pas à la finalité permise à l'office de tarification (voir « reason ») : rien n'a été demandé à MyCareNet.",
    "Deze raadpleging beantwoordt niet aan het doel waarvoor de tariferingsdienst mag raadplegen (zie « reason »): er werd niets aan MyCareNet gevraagd.",
    "This consultation does not serve the purpose the pricing office is allowed (see `reason`): nothing was asked of MyCareNet.",
  ),
  PRICING_OFFICE_UNAVAILABLE: e(
    503,
    "MyCareNet ne répond pas. La consultation de l'office de tarification se fait uniquement en ligne (pas de scénario de secours) : réessayez plus tard.",
    "MyCareNet antwoordt niet. De raadpleging door de tariferingsdienst gebeurt enkel online (geen noodscenario): probeer later opnieuw.",
    "MyCareNet does not answer. The pricing office consults online only (no fallback): try again later.",
  ),
  PROPORTIONALITY_LIMIT: e(
    429,
    "Consultation refusée avant d'être envoyée : elle dépasse le seuil de proportionnalité (consultation systématique interdite, brochure §7.2). Un pharmacien peut lever le blocage pour la journée.",
    "Raadpleging geweigerd vóór verzending: ze overschrijdt de proportionaliteitsdrempel (systematische raadpleging verboden, brochure §7.2). Een apotheker kan de blokkering voor de dag opheffen.",
    "Consultation refused before it was sent: it exceeds the proportionality threshold (systematic consultation is forbidden, brochure §7.2). A pharmacist may lift the block for the day.",
  ),
  // mandates (SPEC §1.6, brochure §8.2.2.5)
  BCE_FORMAT: e(
    400,
    "Le numéro d'entreprise (BCE) doit compter 10 chiffres commençant par 0 ou 1 (espaces, points, tirets et préfixe BE ignorés).",
    "Het ondernemingsnummer (KBO) moet 10 cijfers tellen en met 0 of 1 beginnen (spaties, punten, streepjes en voorvoegsel BE worden genegeerd).",
    "The enterprise number (BCE/KBO) must have 10 digits starting with 0 or 1 (spaces, dots, dashes and a BE prefix are ignored).",
  ),
  BCE_CHECKSUM: e(
    400,
    "Les chiffres de contrôle du numéro d'entreprise (BCE) ne correspondent pas.",
    "De controlecijfers van het ondernemingsnummer (KBO) kloppen niet.",
    "The enterprise number (BCE/KBO) check digits do not match.",
  ),
  MANDATE_NOT_HOLDER: e(
    403,
    "Seul le pharmacien titulaire responsable donne ou révoque un mandat (brochure §8.2.2.2) : son jeton, ou une session eHealth qu'il a ouverte.",
    "Alleen de verantwoordelijke titularis-apotheker geeft of herroept een mandaat (brochure §8.2.2.2): met zijn token, of een eHealth-sessie die hij opende.",
    "Only the responsible titular pharmacist gives or revokes a mandate (brochure §8.2.2.2): with his token, or an eHealth session he opened.",
  ),
  MANDATE_TO_ITSELF: e(
    400,
    "La pharmacie ou son pharmacien titulaire ne peut être son propre mandataire.",
    "De apotheek of haar titularis-apotheker kan niet haar eigen mandataris zijn.",
    "The pharmacy or its titular pharmacist cannot be its own mandatary.",
  ),
  MANDATE_PERIOD_INVALID: e(
    400,
    "La période du mandat n'est pas valable : la fin précède le début, ou est déjà passée.",
    "De periode van het mandaat is ongeldig: het einde ligt vóór het begin, of is al voorbij.",
    "The mandate's period is not valid: its end is before its start, or already past.",
  ),
  MANDATE_OVERLAP: e(
    409,
    "Un mandat existe déjà pour ce service sur une partie de cette période (un seul mandat par service pour une période donnée, brochure §8.2.2.5).",
    "Er bestaat al een mandaat voor deze dienst voor een deel van deze periode (één mandaat per dienst voor een bepaalde periode, brochure §8.2.2.5).",
    "A mandate already exists for this service over part of this period (one mandate per service for a given period, brochure §8.2.2.5).",
  ),
  MANDATE_NOT_FOUND: e(
    404,
    "Ce mandat n'existe pas.",
    "Dit mandaat bestaat niet.",
    "This mandate does not exist.",
  ),
  MANDATE_ALREADY_REVOKED: e(
    409,
    "Ce mandat a déjà été révoqué.",
    "Dit mandaat werd al herroepen.",
    "This mandate has already been revoked.",
  ),
  // results obtained elsewhere (SPEC §1.6, brochure §9.3.3)
  IMPORT_XSD_INVALID: e(
    400,
    "La réponse fournie n'est pas un GetInsurabilityForPharmacistResponse valide selon le schéma XSD de MyCareNet : rien n'a été enregistré.",
    "Het gegeven antwoord is geen geldig GetInsurabilityForPharmacistResponse volgens het XSD-schema van MyCareNet: er werd niets bewaard.",
    "The response given is not a GetInsurabilityForPharmacistResponse valid against MyCareNet's XSD: nothing was recorded.",
  ),
  IMPORT_NOT_AN_ANSWER: e(
    422,
    "La réponse fournie ne contient pas de réponse d'assurabilité utilisable (erreur de la plate-forme, code retour d'erreur, ou réponse incomplète) : rien n'a été enregistré.",
    "Het gegeven antwoord bevat geen bruikbaar verzekerbaarheidsantwoord (fout van het platform, foutcode, of onvolledig antwoord): er werd niets bewaard.",
    "The response given holds no usable insurability answer (platform error, error return code, or incomplete answer): nothing was recorded.",
  ),
  IMPORT_PATIENT_MISMATCH: e(
    422,
    "La réponse fournie concerne un autre patient que celui de la délivrance : rien n'a été enregistré.",
    "Het gegeven antwoord betreft een andere patiënt dan die van de aflevering: er werd niets bewaard.",
    "The response given is about another patient than the delivery's: nothing was recorded.",
  ),
  IMPORT_DATE_MISMATCH: e(
    422,
    "La réponse fournie a été demandée pour une autre date que la date de délivrance, ou sa couverture ne commence pas à cette date : rien n'a été enregistré.",
    "Het gegeven antwoord werd voor een andere datum dan de afleveringsdatum gevraagd, of de dekking begint niet op die datum: er werd niets bewaard.",
    "The response given was asked for another date than the delivery date, or its coverage does not start on it: nothing was recorded.",
  ),
  IMPORT_DATA_INVALID: e(
    400,
    "Les données saisies du portail ne sont pas valables (voir « errors ») : rien n'a été enregistré.",
    "De ingevoerde gegevens van het portaal zijn ongeldig (zie « errors »): er werd niets bewaard.",
    "The portal data typed are not valid (see `errors`): nothing was recorded.",
  ),
  IMPORT_DUPLICATE: e(
    409,
    "Ce résultat est déjà enregistré (même message ou même engagement de paiement).",
    "Dit resultaat is al bewaard (zelfde bericht of zelfde betalingsverbintenis).",
    "This result is already recorded (same message or same payment commitment).",
  ),
  IMPORT_NOT_RESOLVABLE: e(
    409,
    "La consultation indiquée n'est pas une délivrance de secours en attente de rappel pour ce patient et cette date.",
    "De aangeduide raadpleging is geen noodaflevering die wacht op een herraadpleging voor deze patiënt en deze datum.",
    "The consultation named is not a fallback delivery awaiting recall for this patient and date.",
  ),
  // warnings: the answer is given, with something the pharmacist should know
  REGIME_CT_MISMATCH: w(
    "Le régime tiers payant ne correspond pas au troisième chiffre du CT1 : vérifiez le tarif.",
    "De derdebetalersregeling komt niet overeen met het derde cijfer van CG1: controleer het tarief.",
    "The third-party payer regime disagrees with CT1's third digit: check the tariff.",
  ),
  COVERAGE_MISMATCH: w(
    "La période couverte renvoyée par MyCareNet diffère de celle calculée selon les règles (brochure §5.2).",
    "De door MyCareNet teruggegeven dekkingsperiode verschilt van de volgens de regels berekende (brochure §5.2).",
    "The coverage period MyCareNet returned differs from the one the rules give (brochure §5.2).",
  ),
  // eHealth STS doors (SPEC §2): the legacy SAML-P door predates ECDSA
  STS_DOOR_KEY_UNSUPPORTED: e(
    409,
    "Cette carte eID signe en ECDSA (carte récente) et la porte SAML-P historique de l'eHealth STS n'accepte que RSA : utilisez la porte WS-Trust (MCN_STS_PROTOCOL=ws-trust ou MCN_STS_URL …/IAM/SecurityTokenService/v1).",
    "Deze eID-kaart ondertekent met ECDSA (recente kaart) en de oude SAML-P-toegang van de eHealth-STS aanvaardt alleen RSA: gebruik de WS-Trust-toegang (MCN_STS_PROTOCOL=ws-trust of MCN_STS_URL …/IAM/SecurityTokenService/v1).",
    "This eID card signs with ECDSA (a recent card) and the eHealth STS's legacy SAML-P door accepts RSA only: use the WS-Trust door (MCN_STS_PROTOCOL=ws-trust or MCN_STS_URL …/IAM/SecurityTokenService/v1).",
  ),
  UNKNOWN_RETURN_CODE: w(
    "MyCareNet a répondu avec un code retour que le démon ne connaît pas : la réponse est lue d'après son contenu (couverture présente ou non) ; voyez « returnCode ».",
    "MyCareNet antwoordde met een returncode die de daemon niet kent: het antwoord wordt gelezen volgens zijn inhoud (dekking aanwezig of niet); zie « returnCode ».",
    "MyCareNet answered with a return code the daemon does not know: the answer is read by its content (coverage present or not); see `returnCode`.",
  ),
  // SPEC §1.5, brochure §8.2.2.3: the session is traced to the pharmacist whose card opens it
  SESSION_NIHII_MISMATCH: e(
    400,
    "Ce numéro INAMI n'est pas celui de la personne dont le certificat ouvre la session : le numéro du pharmacien titulaire va avec sa carte seulement (MCN_HOLDER_NIHII, MCN_HOLDER_SSIN). Aucune session n'a été ouverte.",
    "Dit RIZIV-nummer is niet dat van de persoon wiens certificaat de sessie opent: het nummer van de titularis-apotheker hoort alleen bij zijn kaart (MCN_HOLDER_NIHII, MCN_HOLDER_SSIN). Er werd geen sessie geopend.",
    "This NIHII is not that of the person whose certificate opens the session: the titular pharmacist's number goes with their card only (MCN_HOLDER_NIHII, MCN_HOLDER_SSIN). No session was opened.",
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
