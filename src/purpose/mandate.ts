// Mandates (SPEC §1.6, brochure §8.2.2.5): the titular pharmacist lets a third party use a
// service in the pharmacy's name — a person (NISS), another pharmacy (its NIHII, represented by
// its titular pharmacist) or a service provider (its BCE/KBO number). « Il ne peut actuellement
// y avoir qu'un seul mandat par service pour une période déterminée »; the mandator stays
// responsible, so every use names the mandate. Pure: the store keeps them, services/ decides.
import { compareDays, isDay, type Day } from "../commitment/index.js";
import { parseBce, parseNihii, parseNiss } from "../identifiers/index.js";
import { fail, ok, type Result } from "../result.js";

export type MandataryKind = "person" | "pharmacy" | "company";
export const MANDATARY_KINDS: readonly MandataryKind[] = ["person", "pharmacy", "company"];

/** The services a mandate may cover; the daemon speaks only insurability (SPEC §2). */
export type MandateService = "insurability";
export const MANDATE_SERVICES: readonly MandateService[] = ["insurability"];

/** Who acts in the pharmacy's name: `id` normalised (NISS, 8-digit NIHII or BCE number). */
export interface MandataryRef {
  readonly kind: MandataryKind;
  readonly id: string;
}

export interface Mandatary extends MandataryRef {
  readonly name: string;
}

export interface MandateTerms {
  readonly mandatary: Mandatary;
  readonly service: MandateService;
  readonly validFrom: Day;
  readonly validUntil: Day;
  /** The reference of the signed paper mandate (eHealth form). */
  readonly reference: string;
}

export interface Mandate extends MandateTerms {
  readonly id: string;
  readonly createdAt: string;
  readonly createdBy: string;
  /** Revocation keeps the record: it ends the mandate, it does not erase it. */
  readonly revoked: { readonly at: string; readonly by: string } | null;
}

export type MandataryError =
  | "NISS_FORMAT"
  | "NISS_CHECKSUM"
  | "NISS_MONTH"
  | "NIHII_FORMAT"
  | "NIHII_CHECKSUM"
  | "BCE_FORMAT"
  | "BCE_CHECKSUM";

/** The mandatary's identifier checked and normalised with the rules of its kind (SPEC §1.1). */
export function readMandatary(raw: {
  kind: MandataryKind;
  id: string;
}): Result<MandataryRef, MandataryError> {
  switch (raw.kind) {
    case "person": {
      const niss = parseNiss(raw.id);
      return niss.ok ? ok({ kind: "person", id: niss.value.normalized }) : fail(niss.code);
    }
    case "pharmacy": {
      // A pharmacy is numbered with 8 digits; an 11-digit number is a person's.
      const nihii = parseNihii(raw.id);
      if (!nihii.ok) return fail(nihii.code);
      if (nihii.value.kind !== "organisation")
        return fail("NIHII_FORMAT", { expected: "8 digits (pharmacy)" });
      return ok({ kind: "pharmacy", id: nihii.value.normalized });
    }
    case "company": {
      const bce = parseBce(raw.id);
      return bce.ok ? ok({ kind: "company", id: bce.value.normalized }) : fail(bce.code);
    }
  }
}

export type MandateRefusal = "MANDATE_PERIOD_INVALID" | "MANDATE_TO_ITSELF" | "MANDATE_OVERLAP";

export interface MandateContext {
  readonly today: Day;
  /** The pharmacy giving the mandate and its titular pharmacist (MCN_PHARMACY_NIHII, MCN_HOLDER_*). */
  readonly pharmacyNihii: string;
  readonly holderSsin: string;
  /** The mandates already on record (revoked ones included). */
  readonly existing: readonly Mandate[];
}

const overlaps = (a: { validFrom: Day; validUntil: Day }, b: { validFrom: Day; validUntil: Day }) =>
  compareDays(a.validFrom, b.validUntil) <= 0 && compareDays(b.validFrom, a.validUntil) <= 0;

/** The first rule new terms break, or ok. */
export function checkNewMandate(terms: MandateTerms, ctx: MandateContext): Result<void, MandateRefusal> {
  if (!isDay(terms.validFrom) || !isDay(terms.validUntil)) return fail("MANDATE_PERIOD_INVALID");
  if (compareDays(terms.validUntil, terms.validFrom) < 0)
    return fail("MANDATE_PERIOD_INVALID", { problem: "validUntil is before validFrom" });
  // A mandate that has already ended cannot be given.
  if (compareDays(terms.validUntil, ctx.today) < 0)
    return fail("MANDATE_PERIOD_INVALID", { problem: "validUntil is in the past" });
  const m = terms.mandatary;
  if (
    (m.kind === "pharmacy" && m.id === ctx.pharmacyNihii) ||
    (m.kind === "person" && m.id === ctx.holderSsin)
  )
    return fail("MANDATE_TO_ITSELF");
  // brochure §8.2.2.5: one mandate per service for a given period. A revoked one no longer counts.
  const clash = ctx.existing.find(
    (other) => other.revoked === null && other.service === terms.service && overlaps(other, terms),
  );
  if (clash)
    return fail("MANDATE_OVERLAP", {
      mandate: clash.id,
      validFrom: clash.validFrom,
      validUntil: clash.validUntil,
    });
  return ok(undefined);
}

/** Whether the mandate can be revoked now. */
export function checkRevocation(
  mandate: Mandate | undefined,
): Result<Mandate, "MANDATE_NOT_FOUND" | "MANDATE_ALREADY_REVOKED"> {
  if (mandate === undefined) return fail("MANDATE_NOT_FOUND");
  if (mandate.revoked !== null) return fail("MANDATE_ALREADY_REVOKED", { revokedAt: mandate.revoked.at });
  return ok(mandate);
}

/** The mandate that lets `who` use `service` on `day`, if any (not revoked, day within its period). */
export function mandateInForce(
  mandates: readonly Mandate[],
  who: MandataryRef,
  service: MandateService,
  day: Day,
): Mandate | undefined {
  return mandates.find(
    (m) =>
      m.revoked === null &&
      m.service === service &&
      m.mandatary.kind === who.kind &&
      m.mandatary.id === who.id &&
      compareDays(m.validFrom, day) <= 0 &&
      compareDays(day, m.validUntil) <= 0,
  );
}

/** The state a reader sees on `day`. */
export function mandateState(m: Mandate, day: Day): "revoked" | "expired" | "future" | "active" {
  if (m.revoked !== null) return "revoked";
  if (compareDays(m.validUntil, day) < 0) return "expired";
  if (compareDays(day, m.validFrom) < 0) return "future";
  return "active";
}
