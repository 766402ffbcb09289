// The pricing office's consultation (SPEC §1.6, brochure §8.2.2.7): only for a rejection whose
// reason is an insurability error, for a delivery the pharmacy has on record, a limited number
// of times per rejection. Online only: no cache, no commitment stored, no known-patient update,
// no fallback. The answer goes back to the pricing office; what the pharmacy keeps is one audit
// entry (the rejection's reference and reason code, never the answer's data).
import { brusselsDay, compareDays, isDay, type Day } from "../commitment/index.js";
import { checkPricingOfficePurpose, PURPOSE_ACTIONS, type PricingOfficePolicy } from "../compliance/index.js";
import type { Circuit } from "../consult/circuit.js";
import { readPatient, type QuestionBody } from "../consult/question.js";
import type { OutageKind, Upstream } from "../consult/upstream.js";
import { onlineView, type CommitmentView, type ConsultationView } from "../consult/view.js";
import { warningsFor } from "../consult/warnings.js";
import type { SessionManager } from "../ehealth/sessions/manager.js";
import { CodedError } from "../errors.js";
import type { Principal } from "../http/principals.js";
import { patientKeyOf } from "../store/patient-key.js";
import type { Store } from "../store/store.js";

export interface PricingOfficeBody {
  rejection: { invoiceReference: string; reasonCode: string; rejectedOn: string };
  patient: QuestionBody["patient"];
  deliveryDate: string;
}

export type PricingOfficeResultKind = "answered" | "refused" | "rejected" | "unanswered";

export interface PricingOfficeAnswer {
  /** The audit entry that is the only trace of this consultation. */
  auditEntry: number;
  rejection: { invoiceReference: string; reasonCode: string; rejectedOn: Day };
  source: "online";
  insured: boolean | null;
  reason: string | null;
  patient: ConsultationView["patient"];
  deliveryDate: Day;
  consultedAt: string;
  entitlement: ConsultationView["entitlement"];
  commitment: Omit<CommitmentView, "reusableUntil"> | null;
  returnCode: ConsultationView["returnCode"];
  warnings: ConsultationView["warnings"];
}

export interface PricingOfficeDeps {
  readonly sessions: SessionManager;
  readonly upstream: Upstream;
  readonly circuit: Circuit;
  readonly store: Store;
  readonly policy: PricingOfficePolicy;
  readonly clock: () => Date;
  readonly onResult?: (kind: PricingOfficeResultKind, outage?: OutageKind) => void;
}

export class PricingOfficeService {
  readonly #d: PricingOfficeDeps;

  constructor(deps: PricingOfficeDeps) {
    this.#d = deps;
  }

  async consult(body: PricingOfficeBody, principal: Principal): Promise<PricingOfficeAnswer> {
    const { store, clock } = this.#d;
    const now = clock();
    const today = brusselsDay(now);
    const patient = readPatient(body.patient);
    const { invoiceReference, reasonCode, rejectedOn } = body.rejection;
    if (!isDay(body.deliveryDate) || !isDay(rejectedOn)) throw new CodedError("DATE_FORMAT");
    const deliveryDate: Day = body.deliveryDate;
    if (compareDays(deliveryDate, today) > 0) throw new CodedError("DATE_IN_FUTURE");
    const patientKey = patientKeyOf(patient);
    // The reference is kept in the audit trail, which never holds a patient's identifier.
    if ("niss" in patient && invoiceReference.replace(/\D/g, "").includes(patient.niss)) {
      throw new CodedError("REQUEST_INVALID", {
        errors: [{ path: "body/rejection/invoiceReference", message: "must not contain the patient's NISS" }],
      });
    }
    const actor = { actor: principal.name, role: principal.role, patientKey } as const;
    const rejection = { invoiceReference, reasonCode, rejectedOn, deliveryDate };

    const purpose = checkPricingOfficePurpose(
      {
        reasonCode,
        deliveryDate,
        rejectedOn,
        today,
        deliveryOnRecord: store.compliance.hasDeliveryOnRecord(patientKey, deliveryDate),
        previousUses: store.compliance.pricingOfficeUses(patientKey, invoiceReference, deliveryDate),
      },
      this.#d.policy,
    );
    if (!purpose.ok) {
      store.appendAudit({
        ...actor,
        action: PURPOSE_ACTIONS.pricingOfficeRefused,
        detail: { ...rejection, reason: purpose.code },
        at: now,
      });
      this.#d.onResult?.("refused");
      throw new CodedError("PURPOSE_NOT_ALLOWED", { reason: purpose.code, ...purpose.detail });
    }

    const session = this.#d.sessions.forConsultation(principal.nihii);
    // Online only: tried even while the circuit is open (the answer would close it), never the fallback.
    const result = await this.#d.upstream.ask(session, patient, deliveryDate);
    switch (result.type) {
      case "outage":
        this.#d.circuit.recordOutage(result.kind);
        store.appendAudit({
          ...actor,
          action: PURPOSE_ACTIONS.pricingOfficeUnanswered,
          detail: { ...rejection, outage: result.kind, upstreamReference: result.reference },
        });
        this.#d.onResult?.("unanswered", result.kind);
        throw new CodedError("PRICING_OFFICE_UNAVAILABLE", { outage: result.kind });
      case "rejected":
        this.#d.circuit.recordAnswer();
        store.appendAudit({
          ...actor,
          action: PURPOSE_ACTIONS.pricingOfficeRejected,
          detail: { ...rejection, code: result.code, upstreamReference: result.reference },
        });
        this.#d.onResult?.("rejected");
        throw new CodedError(result.code, result.detail);
      case "answer": {
        this.#d.circuit.recordAnswer();
        const { answer } = result;
        const view = onlineView({
          id: "pricing-office",
          reference: invoiceReference,
          patient,
          deliveryDate,
          consultedAt: now,
          consultedOn: today,
          answer,
          warnings: warningsFor(answer, deliveryDate, today),
          session: { id: session.id, user: { name: session.user.name, nihii: session.user.nihii } },
        });
        const entry = store.appendAudit({
          ...actor,
          action: PURPOSE_ACTIONS.pricingOfficeConsulted,
          detail: { ...rejection, upstreamReference: result.reference, insured: view.insured ?? false },
          at: now,
        });
        this.#d.onResult?.("answered");
        const commitment = view.commitment
          ? {
              paymentApproval: view.commitment.paymentApproval,
              paymentApprovalSeed: view.commitment.paymentApprovalSeed,
              invoicingOfficeCheckDigit: view.commitment.invoicingOfficeCheckDigit,
              coverage: view.commitment.coverage,
              consultedOn: view.commitment.consultedOn,
            }
          : null;
        return {
          auditEntry: entry.seq,
          rejection: { invoiceReference, reasonCode, rejectedOn },
          source: "online",
          insured: view.insured,
          reason: view.reason,
          patient: view.patient,
          deliveryDate,
          consultedAt: view.consultedAt,
          entitlement: view.entitlement,
          commitment,
          returnCode: view.returnCode,
          warnings: view.warnings,
        };
      }
    }
  }
}
