// The pharmacist's override (SPEC §1.4 nodes 5–8): answers to the questions the automatic part
// of the fallback left pending, with what the SIS card or the document says. Checked against
// the tree and the answers already given, then stored with the outcome in one transaction —
// a refused request changes nothing. Synchronous from the first read to the write, so two
// requests for the same consultation cannot interleave.
import { CodedError } from "../errors.js";
import { checkAnswers, nodes } from "../fallback/index.js";
import type { Evaluation, Facts, NodeId } from "../fallback/index.js";
import type { Principal } from "../actors.js";
import type { PharmacistNode, StoredConsultation, StoredFallbackAnswer, Store } from "../store/index.js";
import {
  readDocumentData,
  type DocumentData,
  type DocumentDataInput,
} from "../consultation/fallback-data.js";
import {
  entitlementOf,
  type ConsultationView,
  type FallbackAnswerView,
  type FallbackData,
} from "../consultation/document.js";

export interface FallbackAnswerInput {
  node: PharmacistNode;
  answer: boolean;
  /** The pharmacist's reason ("why"). */
  note?: string;
  /** What the SIS card (node 6, yes) or the trusted document (node 8, yes) says. */
  data?: DocumentDataInput;
}

export interface FallbackAnswersBody {
  answers: FallbackAnswerInput[];
}

export interface FallbackAnswerDeps {
  readonly store: Store;
  readonly clock: () => Date;
  /** Called once the answers are stored (metrics). */
  readonly onAnswered?: (view: ConsultationView) => void;
}

const factOf = (node: NodeId): keyof Facts => {
  const n = nodes[node];
  if (n.kind === "action") throw new RangeError(`node ${node} asks nothing`);
  return n.fact;
};

/** Nodes 2–4 as the daemon answered them when the consultation was made, read from its path. */
function automaticFacts(path: readonly number[]): Facts {
  // A needs-pharmacist path went 3 → 4 → 5 (known, no covering commitment) or 3 → 6 (unknown).
  const known = path.includes(4);
  return { networkAvailable: false, patientKnown: known, ...(known ? { commitmentCoversDate: false } : {}) };
}

// Only "SIS card: yes" and "trust the document: yes" lead to using data (brochure §9.2).
const carriesData = (a: { node: number; answer: boolean }): boolean =>
  a.answer && (a.node === 6 || a.node === 8);

export async function answerFallback(
  deps: FallbackAnswerDeps,
  consultationId: string,
  body: FallbackAnswersBody,
  by: Principal,
): Promise<StoredConsultation> {
  const { store } = deps;
  const row = store.getConsultation(consultationId);
  if (row === undefined) throw new CodedError("CONSULTATION_NOT_FOUND");

  const seen = new Set<number>();
  for (const a of body.answers) {
    if (seen.has(a.node))
      throw new CodedError("FALLBACK_ALREADY_ANSWERED", { node: a.node, reason: "twice-in-request" });
    seen.add(a.node);
  }
  const previous = store.fallbackAnswers(consultationId);
  const again = body.answers.find((a) => previous.some((p) => p.node === a.node));
  if (again !== undefined) throw new CodedError("FALLBACK_ALREADY_ANSWERED", { node: again.node });
  if (row.outcome !== "needs-pharmacist" || row.fallback === null) {
    throw new CodedError("FALLBACK_NOT_PENDING", { outcome: row.outcome });
  }
  // SPEC §1.6: a result obtained elsewhere (the portal) already settled this delivery.
  if (store.imports.isResolved(consultationId))
    throw new CodedError("FALLBACK_NOT_PENDING", { outcome: row.outcome, settledBy: "import" });

  const answers: Facts = {};
  for (const a of [...previous, ...body.answers]) answers[factOf(a.node)] = a.answer;
  const checked = checkAnswers(automaticFacts(row.fallback.path), answers);
  if (!checked.ok) {
    // The problem's own `code` is the error's: the question's code goes under `question`.
    const { node, code, reason } = checked.detail ?? {};
    throw new CodedError(checked.code, { node, question: code, reason });
  }
  const evaluation = checked.value;

  const documents = new Map<number, DocumentData>();
  for (const a of body.answers) {
    if (a.data === undefined) continue;
    if (!carriesData(a)) throw new CodedError("FALLBACK_DATA_UNEXPECTED", { node: a.node });
    const read = readDocumentData(a.data);
    if (!read.ok) throw new CodedError(read.code, { node: a.node, ...read.detail });
    documents.set(a.node, read.value);
  }
  const usedNode = evaluation.outcome === "sis-card" ? 6 : evaluation.outcome === "document" ? 8 : undefined;
  const document = usedNode === undefined ? undefined : documents.get(usedNode);
  if (usedNode !== undefined && document === undefined) {
    throw new CodedError("FALLBACK_DATA_REQUIRED", { node: usedNode });
  }

  const at = deps.clock();
  const view = nextView(row, evaluation, document, previous, body.answers, by, at);
  // Group-committed: resolved once the answers are on disk.
  const updated = await store.grouped.recordFallbackAnswers({
    consultationId,
    answers: body.answers.map((a) => ({
      node: a.node,
      answer: a.answer,
      ...(documents.has(a.node) ? { documentData: { ...documents.get(a.node) } } : {}),
      ...(a.note !== undefined ? { note: a.note } : {}),
    })),
    by: { name: by.name, role: by.role, ...(by.nihii !== undefined ? { nihii: by.nihii } : {}) },
    at,
    outcome: {
      // The network is never available on this path: the outcome cannot be "online".
      outcome: evaluation.outcome === "online" ? "needs-pharmacist" : evaluation.outcome,
      guarantee: evaluation.guarantee ?? "none",
      ...(view.insured !== null ? { insured: view.insured } : {}),
      answer: view,
      fallback: { reason: row.fallback.reason, path: evaluation.path, question: evaluation.question },
    },
  });
  deps.onAnswered?.(view);
  return updated;
}

function nextView(
  row: StoredConsultation,
  evaluation: Evaluation,
  document: DocumentData | undefined,
  previous: readonly StoredFallbackAnswer[],
  given: readonly FallbackAnswerInput[],
  by: Principal,
  at: Date,
): ConsultationView {
  const view = row.answer;
  const fallback = view.fallback ?? {
    reason: row.fallback?.reason ?? "unknown",
    path: [],
    question: null,
    lastKnown: null,
  };
  const answers: FallbackAnswerView[] = [
    ...previous.map((p) => ({
      node: p.node,
      code: codeOf(p.node),
      answer: p.answer,
      note: p.note ?? null,
      by: { name: p.pharmacist, nihii: p.pharmacistNihii },
      at: p.answeredAt,
    })),
    ...given.map((a) => ({
      node: a.node,
      code: codeOf(a.node),
      answer: a.answer,
      note: a.note ?? null,
      by: { name: by.name, nihii: by.nihii ?? null },
      at: at.toISOString(),
    })),
  ].sort((a, b) => a.node - b.node);

  const data = dataFor(evaluation, fallback.lastKnown, document);
  return {
    ...view,
    outcome: evaluation.outcome,
    guarantee: evaluation.guarantee,
    insured: data?.insured ?? null,
    entitlement:
      data?.source === "last-known-consultation"
        ? (fallback.lastKnown?.entitlement ?? null)
        : data?.ct1 && data.ct2
          ? entitlementOf(data.ct1, data.ct2, null)
          : null,
    fallback: { ...fallback, path: evaluation.path, question: evaluation.question, answers, data },
  };
}

function dataFor(
  evaluation: Evaluation,
  lastKnown: NonNullable<ConsultationView["fallback"]>["lastKnown"],
  document: DocumentData | undefined,
): FallbackData | null {
  switch (evaluation.outcome) {
    case "last-known":
      return {
        source: "last-known-consultation",
        insured: lastKnown?.insured ?? false,
        ct1: lastKnown?.entitlement?.ct1 ?? null,
        ct2: lastKnown?.entitlement?.ct2 ?? null,
        mutuality: lastKnown?.mutuality ?? null,
        registrationNumber: null,
      };
    case "sis-card":
    case "document":
      return document ? { source: evaluation.outcome, insured: true, ...document } : null;
    default:
      return null;
  }
}

function codeOf(node: number): string {
  const n = nodes[node as NodeId];
  return n.kind === "action" ? String(node) : n.code;
}
