// Who acts: one shape for every layer (SPEC §4 roles). An API token maps to an Actor in http/;
// the daemon acts on its own for recalls and the daily purge. The audit trail records the name,
// the role and, for a pharmacist, the NIHII (brochure §8.2.2.3: activity is traced to the user).

/** The roles of SPEC §4 that an API token can carry. */
export type Role = "dispensing" | "pharmacist" | "pricing-office" | "admin";
export const ROLES: readonly Role[] = ["dispensing", "pharmacist", "pricing-office", "admin"];

/** A token's role, or the daemon itself. */
export type ActorRole = Role | "system";

export interface Actor {
  /** The token's name in MCN_TOKENS_FILE, or "daemon". */
  readonly name: string;
  readonly role: ActorRole;
  /** The pharmacist's NIHII when the actor carries one. */
  readonly nihii?: string;
  /**
   * What the principal acts for as a mandatary (SPEC §1.6, brochure §8.2.2.5): a person by NISS,
   * a pharmacy by NIHII, a company by BCE/KBO number, normalised. A mandate recorded for it
   * opens the pricing office's route.
   */
  readonly mandatary?: { readonly kind: "person" | "pharmacy" | "company"; readonly id: string };
}

/** An actor holding an API token (never the daemon). */
export interface Principal extends Actor {
  readonly role: Role;
}

export const DAEMON: Actor = Object.freeze({ name: "daemon", role: "system" });
