// eHealth sessions (SPEC §1.5): a pharmacist opens one with the eID (PKCS#11, PIN or pinpad) or a
// personal certificate; the pharmacy's organisation key is the holder-of-key. A session lasts
// at most 12 hours (earlier if the STS says so), has exactly one user, several may be open at
// once, and any can be closed. The PIN is passed through once and never kept: a wrong PIN is
// reported, never retried (three wrong PINs lock a real eID).
import { CodedError } from "../../errors.js";
import { describeCertificate } from "../keys/certificate.js";
import type { Signer } from "../keys/signer.js";
import type { SessionPersistence } from "./session-file.js";

export type SessionMethod = "eid" | "personal-certificate";

export interface SamlToken {
  readonly assertionXml: string;
  readonly assertionId: string;
  readonly notBefore: Date;
  readonly notOnOrAfter: Date;
}

export interface SessionUser {
  readonly name: string;
  readonly nihii: string;
  readonly ssin: string;
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

  async open(request: { method: SessionMethod; pin?: string }, openedBy: string): Promise<Session> {
    const { deps } = this;
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
      const token = await deps.requestToken(identification, { ssin });
      const createdAt = deps.clock();
      const cap = new Date(createdAt.getTime() + (deps.maxHours ?? MAX_SESSION_HOURS) * 3600_000);
      const notOnOrAfter = token.notOnOrAfter < cap ? token.notOnOrAfter : cap;
      const name =
        described.givenName && described.surname
          ? `${described.givenName} ${described.surname}`
          : deps.holder.name;
      const session: Session = {
        id: deps.newId(),
        method: request.method,
        user: { name, nihii: deps.holder.nihii, ssin },
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
   * there is one, otherwise the most recently opened.
   */
  forConsultation(preferredNihii?: string): Session {
    const open = this.list();
    if (open.length === 0) throw new CodedError(this.#expired.size > 0 ? "SESSION_EXPIRED" : "NO_SESSION");
    const mine = preferredNihii ? open.filter((s) => s.user.nihii === preferredNihii) : [];
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
