// The pricing office's consultation (SPEC §1.6, brochure §8.2.2.7): only under a mandate the
// titular pharmacist gave its mandatary (recorded, in force today), then only for a rejection whose
// reason is an insurability error, for a delivery the pharmacy has on record, a limited number
// of times per rejection. Online only: no cache, no commitment stored, no known-patient update,
// no fallback. The answer goes back to the pricing office; what the pharmacy keeps is one audit
// entry (the rejection's reference and reason code, never the answer's data).
import { brusselsDay, isDay, type Day } from "../commitment/index.js";
import {
  checkPricingOfficePurpose,
  mandateInForce,
  PURPOSE_ACTIONS,
  rejectionKey,
  type PricingOfficePolicy,
} from "../purpose/index.js";
import type { MyCareNetGateway } from "./gateway.js";
import { readPastDay, readPatient, type QuestionBody } from "../consultation/question.js";
import type { OutageKind } from "../ehealth/insurability/client.js";
import {
  onlineView,
  sessionRefOf,
  type CommitmentView,
  type ConsultationView,
} from "../consultation/document.js";
import { warningsFor } from "../consultation/warnings.js";
import { CodedError } from "../errors.js";
import type { Principal } from "../actors.js";
import { patientKeyOf } from "../identifiers/patient-key.js";
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
  /** The mandate this use was made under (brochure §8.2.2.5). */
  mandate: string;
  insured: boolean | null;
  reason: string | null;
  patient: ConsultationView["patient"];
  deliveryDate: Day;
  consultedAt: string;
  entitlement: ConsultationView["entitlement"];
  commitment: Omit<CommitmentView, "reusableUntil" | "window"> | null;
  returnCode: ConsultationView["returnCode"];
  warnings: ConsultationView["warnings"];
}

export interface PricingOfficeDeps {
  readonly gateway: Pick<MyCareNetGateway, "ask">;
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
    if (!isDay(rejectedOn)) throw new CodedError("DATE_FORMAT");
    const deliveryDate = readPastDay(body.deliveryDate, today);
    const patientKey = patientKeyOf(patient);
    // The reference is kept in the audit trail, which never holds a patient's identifier.
    if ("niss" in patient && invoiceReference.replace(/\D/g, "").includes(patient.niss)) {
      throw new CodedError("REQUEST_INVALID", {
        errors: [{ path: "body/rejection/invoiceReference", message: "must not contain the patient's NISS" }],
      });
    }
    const actor = { actor: principal.name, role: principal.role, patientKey } as const;
    const key = rejectionKey(invoiceReference);

    // SPEC §1.6, brochure §8.2.2.7: outside a titular pharmacist's mandate the pricing office
    // consults through the portal only. First, before any rule that reads the pharmacy's data.
    const mandate = principal.mandatary
      ? mandateInForce(store.mandates.list(), principal.mandatary, "insurability", today)
      : undefined;
    if (mandate === undefined) {
      store.appendAudit({
        ...actor,
        action: PURPOSE_ACTIONS.pricingOfficeRefused,
        detail: {
          invoiceReference,
          rejectionKey: key,
          reasonCode,
          rejectedOn,
          deliveryDate,
          reason: "MANDATE_REQUIRED",
        },
        at: now,
      });
      this.#d.onResult?.("refused");
      throw new CodedError("PURPOSE_NOT_ALLOWED", { reason: "MANDATE_REQUIRED" });
    }
    // brochure §8.2.2.5: the mandator stays responsible, so every use names the mandate.
    const rejection = {
      invoiceReference,
      rejectionKey: key,
      reasonCode,
      rejectedOn,
      deliveryDate,
      mandate: mandate.id,
    };

    const purpose = checkPricingOfficePurpose(
      {
        reasonCode,
        deliveryDate,
        rejectedOn,
        today,
        deliveryOnRecord: store.compliance.hasDeliveryOnRecord(patientKey, deliveryDate),
        previousUses: store.compliance.pricingOfficeUses(patientKey, key, deliveryDate),
      },
      this.#d.policy,
    );
    if (!purpose.ok) {
      await store.grouped.appendAudit({
        ...actor,
        action: PURPOSE_ACTIONS.pricingOfficeRefused,
        detail: { ...rejection, reason: purpose.code },
        at: now,
      });
      this.#d.onResult?.("refused");
      throw new CodedError("PURPOSE_NOT_ALLOWED", { reason: purpose.code, ...purpose.detail });
    }

    // Online only: tried even while a circuit is open (the answer would close it), never the fallback.
    const result = await this.#d.gateway.ask(
      { nihii: principal.nihii, patient, patientKey, date: deliveryDate },
      { bypass: true },
    );
    switch (result.type) {
      case "outage":
        // No session: the same precise 409 as before (the pricing office has no fallback).
        if (result.kind === "no-session") throw new CodedError(result.sessionCode ?? "NO_SESSION");
        await store.grouped.appendAudit({
          ...actor,
          action: PURPOSE_ACTIONS.pricingOfficeUnanswered,
          detail: { ...rejection, outage: result.kind, upstreamReference: result.reference },
        });
        this.#d.onResult?.("unanswered", result.kind);
        throw new CodedError("PRICING_OFFICE_UNAVAILABLE", { outage: result.kind });
      case "business":
        await store.grouped.appendAudit({
          ...actor,
          action: PURPOSE_ACTIONS.pricingOfficeRejected,
          detail: { ...rejection, code: result.code, upstreamReference: result.reference },
        });
        this.#d.onResult?.("rejected");
        throw new CodedError(result.code, result.detail);
      case "answer": {
        const { answer, session } = result;
        const view = onlineView({
          id: "pricing-office",
          reference: invoiceReference,
          patient,
          deliveryDate,
          consultedAt: now,
          consultedOn: today,
          answer,
          warnings: warningsFor(answer, deliveryDate, today),
          session: sessionRefOf(session),
        });
        const entry = await store.grouped.appendAudit({
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
          mandate: mandate.id,
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
