// The consultation as the dispensing software sees it (SPEC §4). Built once when the
// consultation is made, stored as is, and served again from the store or the cache.
import { reliedWindow, reusableUntil, type Coverage, type Day } from "../commitment/index.js";
import { messageFor, type Code, type Lang } from "../errors.js";
import { questionText } from "../fallback/index.js";
import type { Evaluation, Guarantee, Outcome, QuestionCode } from "../fallback/index.js";
import type { AnswerPatient, InsurabilityAnswer, ReturnCode, ThirdPartyPayerRegime } from "./answer.js";
import type { PatientIdentification } from "../identifiers/patient.js";
import type { KnownPatient, StoredCommitmentRow } from "./records.js";

export interface Entitlement {
  ct1: string;
  ct2: string;
  thirdPartyPayerRegime: ThirdPartyPayerRegime | null;
  preferential: boolean;
}

/**
 * The session a consultation was made under and its user (SPEC §1.5, brochure §8.2.2.3). The
 * NIHII is null when the pharmacist who opened it is not known by it (documents of version 2
 * written before that always carry one: no upgrade needed).
 */
export interface SessionRef {
  id: string;
  user: { name: string; nihii: string | null };
}

/** What a document keeps of a session: its id and user, never its SSIN or assertion. */
export const sessionRefOf = (s: Readonly<SessionRef>): SessionRef => ({
  id: s.id,
  user: { name: s.user.name, nihii: s.user.nihii },
});

/** The shape of the stored document; the store upgrades an older one when it reads it. */
export const DOCUMENT_VERSION = 2;

export interface CommitmentView {
  paymentApproval: string;
  paymentApprovalSeed: string;
  invoicingOfficeCheckDigit: string;
  /** The period as MyCareNet sent it: what the invoice carries (brochure §5.4.1). */
  coverage: Coverage;
  /**
   * The window the daemon relies on (brochure §5.2: the rule's, start + 30 days at most, never
   * later than `coverage`); null when nothing can be relied on. A difference is COVERAGE_MISMATCH.
   */
  window: Coverage | null;
  consultedOn: Day;
  reusableUntil: Day | null;
}

/** What the recall of a fallback delivery found (SPEC §1.4, brochure §9.3.5). */
export interface RecallOutcome {
  state: "confirmed" | "discrepancy";
  checkedAt: string;
  /** The online consultation that re-checked the delivery. */
  consultationId: string;
  /** The commitment obtained online: the one to invoice with, when there is one. */
  commitment: CommitmentView | null;
  differences: string[];
}

/** The data a fallback outcome rests on (SPEC §1.4): what its tariff was computed with. */
export interface FallbackData {
  source: "stored-commitment" | "last-known-consultation" | "sis-card" | "document";
  insured: boolean;
  ct1: string | null;
  ct2: string | null;
  mutuality: string | null;
  /** As read, verbatim (SPEC §1.1); null when not given. */
  registrationNumber: string | null;
}

/** One pharmacist answer (nodes 5–8): who gave it, when and why. */
export interface FallbackAnswerView {
  node: number;
  code: string;
  answer: boolean;
  note: string | null;
  by: { name: string; nihii: string | null };
  at: string;
}

/** A result obtained elsewhere (SPEC §1.6, brochure §9.3.3), recorded without asking MyCareNet. */
export interface ImportView {
  source: "recipe" | "portal";
  /** The Recip-e answer's wsa:MessageID, when known. */
  messageId: string | null;
  /** Who typed a portal result. */
  typedBy: { name: string; nihii: string | null } | null;
  /** The fallback consultation this result settled, if any. */
  resolves: string | null;
}

export interface ConsultationView {
  id: string;
  reference: string;
  source: "online" | "cache" | "store" | "recipe" | "portal";
  /** Present on a result obtained elsewhere. */
  import?: ImportView;
  outcome: Outcome;
  guarantee: Guarantee | null;
  insured: boolean | null;
  patient: AnswerPatient;
  deliveryDate: Day;
  consultedAt: string;
  entitlement: Entitlement | null;
  commitment: CommitmentView | null;
  returnCode: ReturnCode | null;
  reason: string | null;
  fallback: {
    reason: string;
    path: number[];
    question: { node: number; code: string } | null;
    lastKnown: {
      consultedOn: Day;
      insured: boolean;
      entitlement: Entitlement | null;
      mutuality: string | null;
    } | null;
    /** The pharmacist's answers so far, in the order of the path. */
    answers?: FallbackAnswerView[];
    /** What the outcome rests on; null while a question is pending and for model 704. */
    data?: FallbackData | null;
  } | null;
  session: SessionRef | null;
  delivery: { confirmedAt: string; deliveredOn: Day } | null;
  /**
   * The consultation that obtained `commitment`, when not this one: the reused commitment's, or
   * the first of a group of prescriptions answered from the cache.
   */
  commitmentOf?: string | null;
  /** Set once the recall of a fallback delivery resolved; null otherwise. */
  recall: RecallOutcome | null;
  warnings: Array<{ code: string }>;
}

/** brochure §5.2 / SPEC §1.2: preferential (BIM) from the regime when given, else CT1's third digit. */
export function entitlementOf(ct1: string, ct2: string, regime: ThirdPartyPayerRegime | null): Entitlement {
  const preferential = regime !== null ? regime === "elevated" : ct1.charAt(2) === "1";
  return { ct1, ct2, thirdPartyPayerRegime: regime, preferential };
}

const REASONS: Partial<Record<InsurabilityAnswer["kind"], string>> = {
  "no-right": "NO_RIGHT_AT_DATE",
  "unknown-patient": "PATIENT_UNKNOWN",
  "multiple-insurers": "MULTIPLE_INSURERS",
};

export function onlineView(input: {
  id: string;
  reference: string;
  patient: PatientIdentification;
  deliveryDate: Day;
  consultedAt: Date;
  consultedOn: Day;
  answer: InsurabilityAnswer;
  warnings: Code[];
  /** null for a result obtained elsewhere (no session of this daemon asked). */
  session: SessionRef | null;
}): ConsultationView {
  const { answer } = input;
  const insured = answer.kind === "insured";
  const cov = answer.coverage;
  const v = answer.verification;
  const commitment: CommitmentView | null =
    insured && cov && v?.paymentApproval && v.paymentApprovalSeed
      ? commitmentView(
          {
            paymentApproval: v.paymentApproval,
            paymentApprovalSeed: v.paymentApprovalSeed,
            invoicingOfficeCheckDigit: v.invoicingOfficeCheckDigit,
            coverage: { start: cov.start, end: cov.end },
            consultedOn: input.consultedOn,
          },
          reliedWindow({ start: cov.start, end: cov.end }, input.deliveryDate, input.consultedOn),
        )
      : null;
  return {
    id: input.id,
    reference: input.reference,
    source: "online",
    outcome: "online",
    guarantee: commitment ? "payment-commitment" : "none",
    insured,
    patient: { ...identificationOf(input.patient), ...answer.patient },
    deliveryDate: input.deliveryDate,
    consultedAt: input.consultedAt.toISOString(),
    entitlement: cov ? entitlementOf(cov.ct1, cov.ct2, cov.thirdPartyPayerRegime) : null,
    commitment,
    returnCode: answer.returnCode,
    reason: insured ? null : (REASONS[answer.kind] ?? null),
    fallback: null,
    session: input.session,
    delivery: null,
    recall: null,
    warnings: input.warnings.map((code) => ({ code })),
  };
}

export function fallbackView(input: {
  id: string;
  reference: string;
  patient: PatientIdentification;
  deliveryDate: Day;
  consultedAt: Date;
  evaluation: Evaluation;
  reason: string;
  reused: StoredCommitmentRow | undefined;
  known: KnownPatient | undefined;
  session: SessionRef | null;
}): ConsultationView {
  const { reused, known, evaluation } = input;
  return {
    id: input.id,
    reference: input.reference,
    source: "online",
    outcome: evaluation.outcome,
    guarantee: evaluation.guarantee,
    insured: reused ? true : null,
    patient: identificationOf(input.patient),
    deliveryDate: input.deliveryDate,
    consultedAt: input.consultedAt.toISOString(),
    entitlement: reused ? entitlementOf(reused.ct1, reused.ct2, reused.regime) : null,
    commitment: reused ? commitmentOfRow(reused) : null,
    commitmentOf: reused ? reused.consultationId : null,
    returnCode: null,
    reason: null,
    fallback: {
      reason: input.reason,
      path: evaluation.path,
      question: evaluation.question,
      lastKnown: known
        ? {
            consultedOn: known.lastConsultedOn,
            insured: known.insured,
            entitlement: known.ct1 && known.ct2 ? entitlementOf(known.ct1, known.ct2, known.regime) : null,
            mutuality: known.mutuality,
          }
        : null,
      answers: [],
      data: reused
        ? {
            source: "stored-commitment",
            insured: true,
            ct1: reused.ct1,
            ct2: reused.ct2,
            mutuality: reused.mutuality,
            registrationNumber: null,
          }
        : null,
    },
    session: input.session,
    delivery: null,
    recall: null,
    warnings: [],
  };
}

type CommitmentFacts = Omit<CommitmentView, "window" | "reusableUntil">;

/** `window` is what reuse relies on, and so what `reusableUntil` is computed from. */
export function commitmentView(facts: CommitmentFacts, window: Coverage | null): CommitmentView {
  return {
    ...facts,
    window,
    reusableUntil:
      window === null
        ? null
        : reusableUntil({ id: "", consultedOn: facts.consultedOn, coverage: window, obtainedAt: "" }),
  };
}

/** A stored commitment: `row.coverage` is the window it serves, `row.sentCoverage` MyCareNet's. */
export function commitmentOfRow(row: StoredCommitmentRow): CommitmentView {
  return commitmentView(
    {
      paymentApproval: row.paymentApproval,
      paymentApprovalSeed: row.paymentApprovalSeed,
      invoicingOfficeCheckDigit: row.invoicingOfficeCheckDigit,
      coverage: row.sentCoverage,
      consultedOn: row.consultedOn,
    },
    row.coverage,
  );
}

/** A version 1 document: no relied-on window, no recall outcome, a delivery day optional. */
export type DocumentV1 = Omit<ConsultationView, "commitment" | "recall" | "delivery"> & {
  commitment: CommitmentFacts | null;
  delivery?: unknown;
};

/**
 * Brings a stored document to DOCUMENT_VERSION. Version 1 kept MyCareNet's period only: the
 * window is the rule's from the delivery date it was consulted for (as migration V4 does).
 */
export function upgradeDocument(doc: DocumentV1 | ConsultationView, version: number): ConsultationView {
  if (version >= DOCUMENT_VERSION) return doc as ConsultationView;
  const old = doc as DocumentV1;
  const c = old.commitment;
  return {
    ...old,
    commitment: c
      ? commitmentView(
          {
            paymentApproval: c.paymentApproval,
            paymentApprovalSeed: c.paymentApprovalSeed,
            invoicingOfficeCheckDigit: c.invoicingOfficeCheckDigit,
            coverage: c.coverage,
            consultedOn: c.consultedOn,
          },
          // The delivery date it was consulted for: this one's, or for a commitment reused from
          // another consultation, that one's coverage start (the same date by the rule).
          reliedWindow(
            c.coverage,
            old.outcome === "online" ? old.deliveryDate : c.coverage.start,
            c.consultedOn,
          ),
        )
      : null,
    delivery: null,
    recall: null,
  };
}

function identificationOf(patient: PatientIdentification): AnswerPatient {
  return "niss" in patient
    ? { niss: patient.niss }
    : { mutuality: patient.mutuality, registrationNumber: patient.registrationNumber };
}

/**
 * The network data of the delivery record (brochure §5.4.1), ready to copy: the approval and the
 * data it is computed from, and whether the commitment was obtained for this delivery, reused
 * from an earlier one, or obtained by the recall after an outage. Dates are written YYYYMMDD,
 * as the invoice's date zones are (README, "Invoicing").
 */
export interface InvoiceNetworkData {
  basis: "consultation" | "reuse" | "recall";
  paymentApproval: string;
  paymentApprovalSeed: string;
  invoicingOfficeCheckDigit: string;
  consultationDate: string;
  /** The consultation that obtained the commitment. */
  consultationId: string;
}

export function invoiceOf(view: ConsultationView): InvoiceNetworkData | null {
  const pick = (
    basis: InvoiceNetworkData["basis"],
    c: CommitmentView | null,
    consultationId: string | null,
  ): InvoiceNetworkData | null =>
    c && consultationId
      ? {
          basis,
          paymentApproval: c.paymentApproval,
          paymentApprovalSeed: c.paymentApprovalSeed,
          invoicingOfficeCheckDigit: c.invoicingOfficeCheckDigit,
          consultationDate: c.consultedOn.replaceAll("-", ""),
          consultationId,
        }
      : null;
  // SPEC §1.4: once the recall obtained a commitment online, that one is the one to invoice with.
  if (view.recall?.commitment) return pick("recall", view.recall.commitment, view.recall.consultationId);
  if (view.outcome === "online") return pick("consultation", view.commitment, view.commitmentOf ?? view.id);
  if (view.outcome === "reused-commitment") return pick("reuse", view.commitment, view.commitmentOf ?? null);
  return null;
}

/** Warnings carry their message, and a pending fallback question its text, in the reader's language. */
export function localize(view: ConsultationView, lang: Lang) {
  const question = view.fallback?.question;
  return {
    ...view,
    ...(view.fallback && question
      ? {
          fallback: {
            ...view.fallback,
            question: { ...question, text: questionText(question.code as QuestionCode, lang) },
          },
        }
      : {}),
    warnings: view.warnings.map((w) => ({ code: w.code, message: messageFor(w.code as Code, lang) })),
    invoice: invoiceOf(view),
  };
}
