// The consultation use case (SPEC §1.3, §1.4, §1.6): read the question, answer an identical one
// from memory, otherwise ask MyCareNet once for all concurrent askers; when MyCareNet cannot
// answer, run the automatic nodes of the fallback tree (3–4) from the store. Whatever the
// outcome, it is on disk before it is returned (group-committed with the writes of the same turn:
// src/store/group-commit.ts).
import { brusselsDay, type Day } from "../commitment/index.js";
import { CodedError, type Code } from "../errors.js";
import { evaluate } from "../fallback/index.js";
import type { PatientIdentification } from "../ehealth/insurability/index.js";
import type { Session } from "../ehealth/sessions/manager.js";
import type { Actor, Principal } from "../actors.js";
import type { ConsultationCache } from "../cache/index.js";
import { patientKeyOf } from "../identifiers/patient-key.js";
import type { Store } from "../store/store.js";
import type { ConsultationGuard } from "./proportionality-guard.js";
import type { GatewayResult, MyCareNetGateway } from "./gateway.js";
import { readQuestion, type Question, type QuestionBody } from "../consultation/question.js";
import type { OutageKind } from "../ehealth/insurability/client.js";
import { fallbackView, onlineView, sessionRefOf, type ConsultationView } from "../consultation/document.js";
import { warningsFor } from "../consultation/warnings.js";
import { commitmentAndPatientOf } from "./online-record.js";

export interface ConsultDeps {
  readonly gateway: Pick<MyCareNetGateway, "ask">;
  readonly store: Store;
  readonly cache: ConsultationCache<ConsultationView>;
  readonly clock: () => Date;
  readonly newId: () => string;
  readonly onOutcome?: (view: ConsultationView, outage?: OutageKind) => void;
  /**
   * SPEC §1.6: refuses a bulk pattern (PROPORTIONALITY_LIMIT) right before a message is sent to
   * MyCareNet — never a consultation the fallback answers from the store.
   */
  readonly guard?: ConsultationGuard;
}

export interface ConsultResult {
  readonly view: ConsultationView;
  /** False when the answer is the consultation already made for the same question. */
  readonly created: boolean;
}

export type RecheckResult =
  | { readonly type: "answer"; readonly view: ConsultationView; readonly fromCache: boolean }
  | { readonly type: "rejected"; readonly code: Code; readonly refusal: string }
  | { readonly type: "outage"; readonly kind: OutageKind };

/** What every stored consultation says of its question and of who asked. */
const recordOf = (q: Question, id: string, asker: Actor) => ({
  id,
  reference: q.reference,
  patientKey: q.patientKey,
  deliveryDate: q.deliveryDate,
  consultedAt: q.consultedAt,
  principal: asker.name,
  role: asker.role,
});

/** What MyCareNet refused with, for the pharmacist: the SOA code, the return code, or ours. */
function refusalOf(code: Code, detail: Record<string, unknown> | undefined): string {
  if (typeof detail?.["soa"] === "string") return detail["soa"];
  const rc = detail?.["returnCode"] as { major?: string; minor?: string; detail?: string } | undefined;
  if (rc?.major !== undefined) return `${rc.major}/${rc.minor ?? ""}/${rc.detail ?? ""}`;
  return code;
}

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
    if (mine) return { view, created: true };
    // The same prescription asked again is the consultation already made; another prescription
    // of the group (same patient and date, its own reference) is its own delivery, answered by
    // the same MyCareNet call: its own id and reference, so that it can be confirmed (SPEC §1.6).
    if (view.reference === question.reference || view.outcome !== "online")
      return { view: { ...view, source: "cache" }, created: false };
    const same = this.#d.store.consultationByReference(
      question.patientKey,
      question.deliveryDate,
      question.reference,
    );
    // Already recorded from this same answer (the document keeps the answer's instant).
    if (same?.outcome === "online" && same.answer.consultedAt === view.consultedAt)
      return { view: { ...same.answer, source: "cache" }, created: false };
    return { view: await this.#recordShared(question, principal, view), created: false };
  }

  // Group-committed like a fresh consultation (issue 18): answered once its commit is on disk, but
  // sharing the fsync with the writes that arrive with it. The row is written at once on the
  // connection, so the same reference asked again meanwhile finds it.
  async #recordShared(q: Question, principal: Principal, first: ConsultationView): Promise<ConsultationView> {
    const id = this.#d.newId();
    const view: ConsultationView = {
      ...first,
      id,
      reference: q.reference,
      source: "cache",
      commitmentOf: first.commitment ? (first.commitmentOf ?? first.id) : null,
      delivery: null,
      recall: null,
    };
    await this.#d.store.grouped.recordConsultation({
      ...recordOf(q, id, principal),
      ...(first.session ? { sessionUser: first.session.user.nihii } : {}),
      outcome: "online",
      guarantee: view.guarantee ?? "none",
      insured: view.insured ?? false,
      answer: view,
      warnings: view.warnings.map((w) => w.code),
      sharesConsultation: first.id,
    });
    return view;
  }

  async #fresh(q: Question, principal: Principal): Promise<ConsultationView> {
    const result = await this.#d.gateway.ask(
      {
        nihii: principal.nihii,
        patient: q.patient,
        patientKey: q.patientKey,
        date: q.deliveryDate,
        userReference: q.reference,
      },
      {
        beforeSend: () =>
          this.#d.guard?.({
            patientKey: q.patientKey,
            actor: { name: principal.name, role: principal.role },
          }),
      },
    );
    switch (result.type) {
      case "outage":
        return this.#fallback(q, principal, result.session, result.kind, result.reference);
      case "business":
        await this.#d.store.grouped.appendAudit({
          actor: principal.name,
          role: principal.role,
          action: "consultation.rejected",
          patientKey: q.patientKey,
          detail: { code: result.code, upstreamReference: result.reference },
        });
        throw new CodedError(result.code, result.detail);
      case "answer": {
        const view = await this.#recordOnline(q, principal, result.session, result);
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
    asker: Actor,
  ): Promise<RecheckResult> {
    const { gateway, cache, clock } = this.#d;
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
    const result = await gateway.ask(
      {
        nihii: asker.nihii,
        patient: q.patient,
        patientKey: q.patientKey,
        date: q.deliveryDate,
        userReference: q.reference,
      },
      {
        bypass: true,
        // SPEC §1.6: a recall is a consultation like any other for the proportionality guard.
        beforeSend: () =>
          this.#d.guard?.({ patientKey: q.patientKey, actor: { name: asker.name, role: asker.role } }),
      },
    );
    switch (result.type) {
      case "outage":
        if (result.kind === "no-session") throw new CodedError(result.sessionCode ?? "NO_SESSION");
        return { type: "outage", kind: result.kind };
      case "business":
        await this.#d.store.grouped.appendAudit({
          actor: asker.name,
          role: asker.role,
          action: "consultation.rejected",
          patientKey: q.patientKey,
          detail: { code: result.code, upstreamReference: result.reference, recall: true },
        });
        return { type: "rejected", code: result.code, refusal: refusalOf(result.code, result.detail) };
      case "answer": {
        const view = await this.#recordOnline(q, asker, result.session, result);
        cache.set(key, view);
        this.#d.onOutcome?.(view);
        return { type: "answer", view, fromCache: false };
      }
    }
  }

  async #recordOnline(
    q: Question,
    principal: Actor,
    session: Session,
    result: Extract<GatewayResult, { type: "answer" }>,
  ): Promise<ConsultationView> {
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
      session: sessionRefOf(session),
    });
    await this.#d.store.grouped.recordConsultation({
      ...recordOf(q, id, principal),
      sessionUser: session.user.nihii,
      upstreamReference: result.reference,
      outcome: "online",
      guarantee: view.guarantee ?? "none",
      insured: view.insured ?? false,
      answer: view,
      upstreamXml: result.xml,
      warnings: view.warnings.map((w) => w.code),
      // SPEC §1.3 reuse: a "no right" answer ends older commitments from this date on.
      ...(answer.kind === "no-right" ? { noRightFrom: q.deliveryDate } : {}),
      ...commitmentAndPatientOf(view, answer),
    });
    return view;
  }

  /** SPEC §1.4 nodes 3–4, automatic: known patient? a stored commitment covering the date? */
  async #fallback(
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
      session: session ? sessionRefOf(session) : null,
    });
    await store.grouped.recordConsultation({
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
