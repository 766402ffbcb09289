// eHealth sessions (SPEC §1.5): a pharmacist opens one with the eID (PKCS#11, PIN or pinpad) or a
// personal certificate; the pharmacy's organisation key is the holder-of-key. A session lasts
// at most 12 hours (earlier if the STS says so), has exactly one user, several may be open at
// once, and any can be closed. The PIN is passed through once and never kept: a wrong PIN is
// reported, never retried (three wrong PINs lock a real eID).
import { CodedError } from "../../errors.js";
import { describeCertificate, type CertificateDescription } from "../keys/certificate.js";
import type { Signer } from "../keys/signer.js";
import type { SessionPersistence } from "./session-file.js";
import { sessionUserNihii, readOpeningNihii } from "./user.js";

export type SessionMethod = "eid" | "personal-certificate";

export interface SamlToken {
  readonly assertionXml: string;
  readonly assertionId: string;
  readonly notBefore: Date;
  readonly notOnOrAfter: Date;
}

/** The pharmacist who opened the session (SPEC §1.5, brochure §8.2.2.3); see user.ts. */
export interface SessionUser {
  readonly name: string;
  /** null when neither given at opening nor known to the configuration (never the titular's for another person). */
  readonly nihii: string | null;
  readonly ssin: string;
}

export interface SessionOpening {
  readonly method: SessionMethod;
  readonly pin?: string;
  /** The opening pharmacist's own NIHII (11 digits), when they give it. */
  readonly nihii?: string;
}

export interface Session {
  readonly id: string;
  readonly method: SessionMethod;
  readonly user: SessionUser;
  readonly createdAt: Date;
  readonly notOnOrAfter: Date;
  /** Who opened it through the API (token name), for the audit trail. */
  readonly openedBy: string;
  readonly token: SamlToken;
}

export interface SessionDeps {
  readonly organisation: Signer;
  readonly holder: { readonly nihii: string; readonly ssin: string; readonly name: string };
  /** Opens the eID for one signature; undefined when no PKCS#11 module is configured. */
  readonly openEidSigner?: (pin: string | undefined) => Promise<Signer>;
  /** The personal eHealth certificate, loaded once at start; undefined when not configured. */
  readonly personal?: Signer;
  readonly requestToken: (identification: Signer, user: { ssin: string }) => Promise<SamlToken>;
  readonly clock: () => Date;
  readonly newId: () => string;
  readonly maxHours?: number;
  /** Where open sessions are kept so that a restart loses none. */
  readonly persistence?: SessionPersistence;
}

export const MAX_SESSION_HOURS = 12;

export class SessionManager {
  readonly #deps: SessionDeps;
  readonly #open = new Map<string, Session>();
  /** Ids of sessions that ran out, so that asking for one says SESSION_EXPIRED, not NO_SESSION. */
  readonly #expired = new Set<string>();

  constructor(deps: SessionDeps) {
    this.#deps = deps;
    for (const s of deps.persistence?.load() ?? []) this.#open.set(s.id, s);
    this.#sweep();
  }

  get methods(): SessionMethod[] {
    const m: SessionMethod[] = [];
    if (this.#deps.openEidSigner) m.push("eid");
    if (this.#deps.personal) m.push("personal-certificate");
    return m;
  }

  async open(request: SessionOpening, openedBy: string): Promise<Session> {
    const { deps } = this;
    // Bad input opens nothing: checked before the card is touched.
    const given = request.nihii === undefined ? undefined : readOpeningNihii(request.nihii);
    let identification: Signer;
    let release = false;
    switch (request.method) {
      case "eid":
        if (!deps.openEidSigner) throw new CodedError("SESSION_METHOD_UNAVAILABLE", { method: "eid" });
        identification = await deps.openEidSigner(request.pin);
        release = true;
        break;
      case "personal-certificate":
        if (!deps.personal)
          throw new CodedError("SESSION_METHOD_UNAVAILABLE", { method: "personal-certificate" });
        identification = deps.personal;
        break;
    }
    try {
      const described = describeCertificate(identification.certificateDer);
      const ssin = described.ssin;
      if (!ssin) throw new CodedError("STS_REFUSED", { reason: "certificate-without-ssin" });
      const nihii = sessionUserNihii({ ssin, given, holder: deps.holder });
      const token = await deps.requestToken(identification, { ssin });
      const createdAt = deps.clock();
      const cap = new Date(createdAt.getTime() + (deps.maxHours ?? MAX_SESSION_HOURS) * 3600_000);
      const notOnOrAfter = token.notOnOrAfter < cap ? token.notOnOrAfter : cap;
      const name = personName(described, ssin === deps.holder.ssin ? deps.holder.name : undefined);
      const session: Session = {
        id: deps.newId(),
        method: request.method,
        user: { name, nihii, ssin },
        createdAt,
        notOnOrAfter,
        openedBy,
        token,
      };
      this.#open.set(session.id, session);
      this.#persist();
      return session;
    } finally {
      if (release) await identification.close();
    }
  }

  /** The open sessions; those past their end are dropped on the way. */
  list(): Session[] {
    this.#sweep();
    return [...this.#open.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  get(id: string): Session {
    this.#sweep();
    const s = this.#open.get(id);
    if (s) return s;
    throw new CodedError(this.#expired.has(id) ? "SESSION_EXPIRED" : "SESSION_NOT_FOUND");
  }

  close(id: string): Session {
    const s = this.get(id);
    this.#open.delete(id);
    this.#persist();
    return s;
  }

  /**
   * The session a consultation runs under: the one of the pharmacist named by the caller when
   * there is one, otherwise the most recently opened. A NIHII names a person by its first 8
   * digits (domain-rules §2.1: the qualification changes, the identity does not), so a token's
   * 8-digit short form finds the session opened with the 11 digits.
   */
  forConsultation(preferredNihii?: string): Session {
    const open = this.list();
    if (open.length === 0) throw new CodedError(this.#expired.size > 0 ? "SESSION_EXPIRED" : "NO_SESSION");
    const identity = preferredNihii?.slice(0, 8);
    const mine = identity ? open.filter((s) => s.user.nihii?.slice(0, 8) === identity) : [];
    const pool = mine.length > 0 ? mine : open;
    return pool[pool.length - 1] as Session;
  }

  get openCount(): number {
    return this.list().length;
  }

  get deps(): SessionDeps {
    return this.#deps;
  }

  #sweep(): void {
    const now = this.#deps.clock().getTime();
    let changed = false;
    for (const [id, s] of this.#open) {
      if (s.notOnOrAfter.getTime() <= now) {
        this.#open.delete(id);
        this.#expired.add(id);
        changed = true;
      }
    }
    if (changed) this.#persist();
  }

  #persist(): void {
    this.#deps.persistence?.save([...this.#open.values()]);
  }
}

/**
 * The person's name: the eID's given name and surname; an eHealth personal certificate carries
 * it as an OU beside `SSIN=…` (mycarenet-protocol §3.1); the configured name for the titular.
 * Never the SSIN (the CN of a personal certificate is `SSIN=…`).
 */
function personName(described: CertificateDescription, configured: string | undefined): string {
  if (described.givenName && described.surname) return `${described.givenName} ${described.surname}`;
  if (configured) return configured;
  const units = described.subjectAttributes
    .filter((a) => a.type === "OU")
    .map((a) => a.value)
    .filter((v) => !/^[A-Z0-9-]+=/.test(v) && !/ehealth-platform/i.test(v) && !/[0-9]{6}/.test(v));
  return units[0] ?? "unknown";
}
