// What a pharmacy's session is asked for, either door (mycarenet-protocol §3.2, §3.3): for whom
// (the user, the pharmacy and its holder: the identification attributes asserted), with which
// holder-of-key (the organisation certificate), from when and for how long. request.ts and
// wstrust-request.ts each write these terms in their own message.
import { identificationAttributes, type IdentificationAttribute } from "./pharmacy-profile.js";

export interface SessionTerms {
  readonly holderOfKeyCertDer: Buffer;
  readonly holder: { readonly ssin: string };
  readonly user: { readonly ssin: string };
  readonly pharmacy: { readonly nihii: string };
  readonly now: Date;
  readonly lifetimeHours: number;
}

/** The identification attributes the request asserts, with their values. */
export const assertedAttributes = (
  terms: Pick<SessionTerms, "holder" | "user" | "pharmacy">,
): IdentificationAttribute[] =>
  identificationAttributes({
    userSsin: terms.user.ssin,
    holderSsin: terms.holder.ssin,
    pharmacyNihii: terms.pharmacy.nihii,
  });

/** The end of the lifetime asked for. */
export const askedUntil = (terms: Pick<SessionTerms, "now" | "lifetimeHours">): Date =>
  new Date(terms.now.getTime() + terms.lifetimeHours * 3600_000);
