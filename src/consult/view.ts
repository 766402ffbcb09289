// The consultation as the dispensing software sees it (SPEC §4). Built once when the
// consultation is made, stored as is, and served again from the store or the cache.
import { reusableUntil, type Day } from "../commitment/index.js";
import { messageFor, type Code, type Lang } from "../errors.js";
import { questionText } from "../fallback/index.js";
import type { Evaluation, Guarantee, Outcome, QuestionCode } from "../fallback/index.js";
import type {
  AnswerPatient,
  InsurabilityAnswer,
  ReturnCode,
  ThirdPartyPayerRegime,
} from "../ehealth/insurability/index.js";
import type { PatientIdentification } from "../ehealth/insurability/index.js";
import type { StoredCommitmentRow } from "../store/commitments.js";
import type { KnownPatient } from "../store/known-patients.js";

export interface Entitlement {
  ct1: string;
  ct2: string;
  thirdPartyPayerRegime: ThirdPartyPayerRegime | null;
  preferential: boolean;
}

export interface CommitmentView {
  paymentApproval: string;
  paymentApprovalSeed: string;
  invoicingOfficeCheckDigit: string;
  coverage: { start: Day; end: Day };
  consultedOn: Day;
  reusableUntil: Day | null;
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

export interface ConsultationView {
  id: string;
  reference: string;
  source: "online" | "cache" | "store";
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
  session: { id: string; user: { name: string; nihii: string } } | null;
  delivery: { confirmedAt: string; deliveredOn?: string } | null;
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
  session: { id: string; user: { name: string; nihii: string } };
}): ConsultationView {
  const { answer } = input;
  const insured = answer.kind === "insured";
  const cov = answer.coverage;
  const v = answer.verification;
  const commitment: CommitmentView | null =
    insured && cov && v?.paymentApproval && v.paymentApprovalSeed
      ? {
          paymentApproval: v.paymentApproval,
          paymentApprovalSeed: v.paymentApprovalSeed,
          invoicingOfficeCheckDigit: v.invoicingOfficeCheckDigit,
          coverage: { start: cov.start, end: cov.end },
          consultedOn: input.consultedOn,
          reusableUntil: reusableUntil({
            id: input.id,
            consultedOn: input.consultedOn,
            coverage: { start: cov.start, end: cov.end },
            obtainedAt: input.consultedAt.toISOString(),
          }),
        }
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
  session: { id: string; user: { name: string; nihii: string } } | null;
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
    warnings: [],
  };
}

export function commitmentOfRow(row: StoredCommitmentRow): CommitmentView {
  return {
    paymentApproval: row.paymentApproval,
    paymentApprovalSeed: row.paymentApprovalSeed,
    invoicingOfficeCheckDigit: row.invoicingOfficeCheckDigit,
    coverage: row.coverage,
    consultedOn: row.consultedOn,
    reusableUntil: reusableUntil(row),
  };
}

function identificationOf(patient: PatientIdentification): AnswerPatient {
  return "niss" in patient
    ? { niss: patient.niss }
    : { mutuality: patient.mutuality, registrationNumber: patient.registrationNumber };
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
  };
}
