// Giving, listing and revoking mandates (SPEC §1.6, brochure §8.2.2.5). Only the titular
// pharmacist responsible for the pharmacy does it (§8.2.2.2: « peut également octroyer des
// mandats à des tiers »): a pharmacist principal carrying the holder's NIHII, or one that opened
// an eHealth session with the holder's own identity. Refusals change nothing and are not audited.
import { brusselsDay } from "../commitment/index.js";
import { CodedError } from "../errors.js";
import type { Principal } from "../actors.js";
import type { SessionManager } from "../ehealth/sessions/manager.js";
import {
  checkNewMandate,
  checkRevocation,
  mandateState,
  readMandatary,
  type Mandate,
  type MandataryKind,
  type MandateService as MandateServiceName,
} from "../purpose/mandate.js";
import type { Store } from "../store/store.js";

export interface MandateBody {
  mandatary: { kind: MandataryKind; id: string; name: string };
  service: MandateServiceName;
  validFrom: string;
  validUntil: string;
  reference: string;
}

export interface MandateView extends Mandate {
  /** On today's Brussels date. */
  state: ReturnType<typeof mandateState>;
}

export interface MandateDeps {
  readonly store: Store;
  readonly sessions: Pick<SessionManager, "list">;
  readonly holder: { readonly nihii: string; readonly ssin: string };
  readonly pharmacyNihii: string;
  readonly clock: () => Date;
}

export class Mandates {
  readonly #d: MandateDeps;

  constructor(deps: MandateDeps) {
    this.#d = deps;
  }

  #requireHolder(principal: Principal): void {
    const { holder, sessions } = this.#d;
    if (principal.role === "pharmacist" && principal.nihii === holder.nihii) return;
    const own = sessions.list().some((s) => s.openedBy === principal.name && s.user.ssin === holder.ssin);
    if (principal.role === "pharmacist" && own) return;
    throw new CodedError("MANDATE_NOT_HOLDER");
  }

  #view(m: Mandate): MandateView {
    return { ...m, state: mandateState(m, brusselsDay(this.#d.clock())) };
  }

  list(principal: Principal): MandateView[] {
    this.#requireHolder(principal);
    return this.#d.store.mandates.list().map((m) => this.#view(m));
  }

  give(body: MandateBody, principal: Principal): MandateView {
    this.#requireHolder(principal);
    const mandatary = readMandatary(body.mandatary);
    if (!mandatary.ok)
      throw new CodedError(mandatary.code, mandatary.detail ? { ...mandatary.detail } : undefined);
    const name = body.mandatary.name.trim();
    const reference = body.reference.trim();
    // Printed on the mandate form: no control characters (SQLite would also cut at a NUL).
    const printable = (v: string) => v !== "" && !/\p{Cc}/u.test(v);
    if (!printable(name) || !printable(reference))
      throw new CodedError("REQUEST_INVALID", {
        errors: [
          {
            path: printable(name) ? "body/reference" : "body/mandatary/name",
            message: "must not be blank or hold control characters",
          },
        ],
      });
    const now = this.#d.clock();
    const terms = {
      mandatary: { ...mandatary.value, name },
      service: body.service,
      validFrom: body.validFrom,
      validUntil: body.validUntil,
      reference,
    };
    const mandate = this.#d.store.mandates.give(terms, principal, now, (existing) => {
      const check = checkNewMandate(terms, {
        today: brusselsDay(now),
        pharmacyNihii: this.#d.pharmacyNihii,
        holderSsin: this.#d.holder.ssin,
        existing,
      });
      if (!check.ok) throw new CodedError(check.code, check.detail ? { ...check.detail } : undefined);
    });
    return this.#view(mandate);
  }

  revoke(id: string, principal: Principal): MandateView {
    this.#requireHolder(principal);
    const mandate = this.#d.store.mandates.revoke(id, principal, this.#d.clock(), (found) => {
      const check = checkRevocation(found);
      if (!check.ok) throw new CodedError(check.code, check.detail ? { ...check.detail } : undefined);
    });
    return this.#view(mandate);
  }
}
