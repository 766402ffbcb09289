// The consultation use case (SPEC §1.3, §1.4, §1.6): read the question, answer an identical one
// from memory, otherwise ask MyCareNet once for all concurrent askers; when MyCareNet cannot
// answer, run the automatic nodes of the fallback tree (3–4) from the store. Whatever the
// outcome, it is on disk before it is returned.
import { brusselsDay, type Day } from "../commitment/index.js";
import { CodedError, type Code } from "../errors.js";
import { evaluate } from "../fallback/index.js";
import type { PatientIdentification } from "../ehealth/insurability/index.js";
import type { SessionManager, Session } from "../ehealth/sessions/manager.js";
import type { Principal } from "../http/principals.js";
import type { ConsultationCache } from "../cache/index.js";
import type { ActorRole } from "../store/index.js";
import { patientKeyOf } from "../store/patient-key.js";
import type { Store } from "../store/store.js";
import type { ConsultationGuard } from "../purpose/guard.js";
import type { Circuit } from "./circuit.js";
import { readQuestion, type Question, type QuestionBody } from "./question.js";
import type { OutageKind, Upstream, UpstreamResult } from "./upstream.js";
import { fallbackView, onlineView, type ConsultationView } from "./view.js";
import { warningsFor } from "./warnings.js";

export interface ConsultDeps {
  readonly sessions: SessionManager;
  readonly upstream: Upstream;
  readonly store: Store;
  readonly cache: ConsultationCache<ConsultationView>;
  readonly circuit: Circuit;
  readonly clock: () => Date;
  readonly newId: () => string;
  readonly onOutcome?: (view: ConsultationView, outage?: OutageKind) => void;
  /** SPEC §1.6: refuses a bulk pattern (PROPORTIONALITY_LIMIT) before anything is sent. */
  readonly guard?: ConsultationGuard;
}

export interface ConsultResult {
  readonly view: ConsultationView;
  /** False when the answer is the consultation already made for the same question. */
  readonly created: boolean;
}

/** Who asks: an API principal, or the daemon itself (a recall it runs on its own). */
export interface Asker {
  readonly name: string;
  readonly role: ActorRole;
  readonly nihii?: string;
}

export type RecheckResult =
  | { readonly type: "answer"; readonly view: ConsultationView; readonly fromCache: boolean }
  | { readonly type: "rejected"; readonly code: Code }
  | { readonly type: "outage"; readonly kind: OutageKind };

/** What every stored consultation says of its question and of who asked. */
const recordOf = (q: Question, id: string, asker: Asker) => ({
  id,
  reference: q.reference,
  patientKey: q.patientKey,
  deliveryDate: q.deliveryDate,
  consultedAt: q.consultedAt,
  principal: asker.name,
  role: asker.role,
});

const sessionRef = (s: Session) => ({ id: s.id, user: { name: s.user.name, nihii: s.user.nihii } });

export class ConsultationService {
  readonly #d: ConsultDeps;

  constructor(deps: ConsultDeps) {
    this.#d = deps;
  }

  async consult(body: QuestionBody, principal: Principal): Promise<ConsultResult> {
    const question = readQuestion(body, this.#d.clock());
    const key = { patientKey: question.patientKey, deliveryDate: question.deliveryDate };
    let mine = false;
    // Only online answers are kept: a fallback outcome must not outlive the outage.
    const view = await this.#d.cache.getOrLoad(
      key,
      async () => {
        mine = true;
        return this.#fresh(question, principal);
      },
      (v) => v.outcome === "online",
    );
    return mine ? { view, created: true } : { view: { ...view, source: "cache" }, created: false };
  }

  async #fresh(q: Question, principal: Principal): Promise<ConsultationView> {
    const { sessions, circuit, upstream } = this.#d;
    this.#d.guard?.({ patientKey: q.patientKey, actor: { principal: principal.name, role: principal.role } });
    const session = sessions.forConsultation(principal.nihii);
    if (circuit.isOpen) return this.#fallback(q, principal, session, "circuit-open");
    const result = await upstream.ask(session, q.patient, q.deliveryDate, q.reference);
    switch (result.type) {
      case "outage":
        circuit.recordOutage(result.kind);
        return this.#fallback(q, principal, session, result.kind, result.reference);
      case "rejected":
        circuit.recordAnswer();
        this.#d.store.appendAudit({
          actor: principal.name,
          role: principal.role,
          action: "consultation.rejected",
          patientKey: q.patientKey,
          detail: { code: result.code, upstreamReference: result.reference },
        });
        throw new CodedError(result.code, result.detail);
      case "answer": {
        circuit.recordAnswer();
        const view = this.#recordOnline(q, principal, session, result);
        this.#d.onOutcome?.(view);
        return view;
      }
    }
  }

  /**
   * A recall (SPEC §1.4, brochure §9.3.5): the online consultation of a past fallback delivery,
   * for its date and under its reference. Never falls back and does not look at the circuit —
   * recalls are how the circuit learns that MyCareNet answers again. An identical question
   * answered online within the cache's time is not asked again (SPEC §1.6).
   */
  async recheck(
    input: { patient: PatientIdentification; deliveryDate: Day; reference: string },
    asker: Asker,
  ): Promise<RecheckResult> {
    const { sessions, circuit, upstream, cache, clock } = this.#d;
    const now = clock();
    const q: Question = {
      patient: input.patient,
      patientKey: patientKeyOf(input.patient),
      deliveryDate: input.deliveryDate,
      consultedOn: brusselsDay(now),
      consultedAt: now,
      reference: input.reference,
    };
    const key = { patientKey: q.patientKey, deliveryDate: q.deliveryDate };
    const cached = cache.get(key);
    if (cached?.outcome === "online") return { type: "answer", view: cached, fromCache: true };
    // SPEC §1.6: a recall is a consultation like any other for the proportionality guard.
    this.#d.guard?.({ patientKey: q.patientKey, actor: { principal: asker.name, role: asker.role } });
    const session = sessions.forConsultation(asker.nihii);
    const result = await upstream.ask(session, q.patient, q.deliveryDate, q.reference);
    switch (result.type) {
      case "outage":
        circuit.recordOutage(result.kind);
        return { type: "outage", kind: result.kind };
      case "rejected":
        this.#d.store.appendAudit({
          actor: asker.name,
          role: asker.role,
          action: "consultation.rejected",
          patientKey: q.patientKey,
          detail: { code: result.code, upstreamReference: result.reference, recall: true },
        });
        circuit.recordAnswer();
        return { type: "rejected", code: result.code };
      case "answer": {
        const view = this.#recordOnline(q, asker, session, result);
        cache.set(key, view);
        this.#d.onOutcome?.(view);
        // Last: closing the circuit starts the recall run, which must find this one resolved-ready.
        circuit.recordAnswer();
        return { type: "answer", view, fromCache: false };
      }
    }
  }

  #recordOnline(
    q: Question,
    principal: Asker,
    session: Session,
    result: Extract<UpstreamResult, { type: "answer" }>,
  ): ConsultationView {
    const consultedAt = q.consultedAt;
    const id = this.#d.newId();
    const { answer } = result;
    const view = onlineView({
      id,
      reference: q.reference,
      patient: q.patient,
      deliveryDate: q.deliveryDate,
      consultedAt,
      consultedOn: q.consultedOn,
      answer,
      warnings: warningsFor(answer, q.deliveryDate, q.consultedOn),
      session: sessionRef(session),
    });
    const cov = answer.coverage;
    this.#d.store.recordConsultation({
      ...recordOf(q, id, principal),
      sessionUser: session.user.nihii,
      upstreamReference: result.reference,
      outcome: "online",
      guarantee: view.guarantee ?? "none",
      insured: view.insured ?? false,
      answer: view,
      upstreamXml: result.xml,
      warnings: view.warnings.map((w) => w.code),
      ...(view.commitment && cov
        ? {
            commitment: {
              paymentApproval: view.commitment.paymentApproval,
              paymentApprovalSeed: view.commitment.paymentApprovalSeed,
              invoicingOfficeCheckDigit: view.commitment.invoicingOfficeCheckDigit,
              coverage: view.commitment.coverage,
              ct1: cov.ct1,
              ct2: cov.ct2,
              regime: cov.thirdPartyPayerRegime,
              ...(answer.patient.mutuality ? { mutuality: answer.patient.mutuality } : {}),
            },
          }
        : {}),
      knownPatient: {
        insured: view.insured ?? false,
        ...(cov ? { ct1: cov.ct1, ct2: cov.ct2, regime: cov.thirdPartyPayerRegime } : {}),
        ...(answer.patient.mutuality ? { mutuality: answer.patient.mutuality } : {}),
        ...(answer.patient.registrationNumber
          ? { registrationNumber: answer.patient.registrationNumber }
          : {}),
      },
    });
    return view;
  }

  /** SPEC §1.4 nodes 3–4, automatic: known patient? a stored commitment covering the date? */
  #fallback(
    q: Question,
    principal: Principal,
    session: Session | null,
    reason: OutageKind,
    upstreamReference?: string,
  ) {
    const { store } = this.#d;
    const known = store.knownPatient(q.patientKey);
    // SPEC §1.3 reuse, narrowed in SQL to the commitments that can cover the date (chooseReusable inside).
    const reused = known ? store.findCommitment(q.patientKey, q.deliveryDate) : undefined;
    const evaluation = evaluate({
      networkAvailable: false,
      patientKnown: known !== undefined,
      ...(known ? { commitmentCoversDate: reused !== undefined } : {}),
    });
    const consultedAt = q.consultedAt;
    const id = this.#d.newId();
    const view = fallbackView({
      id,
      reference: q.reference,
      patient: q.patient,
      deliveryDate: q.deliveryDate,
      consultedAt,
      evaluation,
      reason,
      reused,
      known,
      session: session ? sessionRef(session) : null,
    });
    store.recordConsultation({
      ...recordOf(q, id, principal),
      ...(session ? { sessionUser: session.user.nihii } : {}),
      ...(upstreamReference ? { upstreamReference } : {}),
      outcome: evaluation.outcome,
      guarantee: evaluation.guarantee ?? "none",
      ...(reused ? { insured: true, reusedCommitmentId: reused.id } : {}),
      answer: view,
      fallback: { reason, path: evaluation.path, question: evaluation.question },
    });
    this.#d.onOutcome?.(view, reason);
    return view;
  }
}
