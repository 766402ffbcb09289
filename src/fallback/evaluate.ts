// Walks the brochure §9.2 tree (tree.ts) over the facts known so far (SPEC §1.4).
import { ROOT, leaves, nodes } from "./tree.js";
import type { NodeId, QuestionCode, QuestionNode, Target, TreeNode } from "./tree.js";

/** Answers to the tree's questions; absent = not known yet. Nodes 2–4 automatic, 5–8 pharmacist. */
export interface Facts {
  networkAvailable?: boolean;
  patientKnown?: boolean;
  commitmentCoversDate?: boolean;
  trustLastKnown?: boolean;
  sisCard?: boolean;
  otherDocument?: boolean;
  trustDocument?: boolean;
}

export type Outcome =
  "online" | "reused-commitment" | "last-known" | "sis-card" | "document" | "model-704" | "needs-pharmacist";

/** What backs the tariff: a payment commitment, the "principe de base", a SIS commitment, nothing. */
export type Guarantee = "payment-commitment" | "basic-principle" | "sis-commitment" | "none";

export type DataSource =
  "online" | "stored-commitment" | "last-known-consultation" | "sis-card" | "document" | "none";

export interface Evaluation {
  outcome: Outcome;
  /** null while a question is pending. */
  guarantee: Guarantee | null;
  dataSource: DataSource | null;
  /** Every node visited, starting with 1 (e.g. [1, 2, 3, 6]). */
  path: NodeId[];
  /** The first question on the path whose fact is missing, or null at a leaf. */
  question: { node: NodeId; code: QuestionCode } | null;
}

export interface PathQuestion {
  node: NodeId;
  code: QuestionCode;
  kind: QuestionNode["kind"];
  /** undefined for the question still pending. */
  answer: boolean | undefined;
}

/** Evaluates the tree; facts on nodes the path does not reach are ignored. */
export function evaluate(facts: Facts): Evaluation {
  const path: NodeId[] = [];
  let target: Target = { node: ROOT };
  while ("node" in target) {
    const node: TreeNode = nodes[target.node];
    path.push(node.id);
    switch (node.kind) {
      case "action":
        target = node.next;
        break;
      case "automatic":
      case "pharmacist": {
        const answer: boolean | undefined = facts[node.fact];
        if (answer === undefined) {
          const question = { node: node.id, code: node.code };
          return { outcome: "needs-pharmacist", guarantee: null, dataSource: null, path, question };
        }
        target = answer ? node.yes : node.no;
        break;
      }
    }
  }
  const leaf = leaves[target.leaf];
  return {
    outcome: leaf.outcome,
    guarantee: leaf.guarantee,
    dataSource: leaf.dataSource,
    path,
    question: null,
  };
}

/** The questions met along the path for these facts, with the answers used (for the record). */
export function questionsOnPath(facts: Facts): PathQuestion[] {
  const questions: PathQuestion[] = [];
  for (const id of evaluate(facts).path) {
    const node = nodes[id];
    if (node.kind === "action") continue;
    questions.push({ node: node.id, code: node.code, kind: node.kind, answer: facts[node.fact] });
  }
  return questions;
}
