// Walks the brochure §9.2 tree (tree.ts) over the facts known so far (SPEC §1.4).
import { ROOT, leaves, nodes } from "./tree.js";
import type { Evaluation, Facts, NodeId, PathQuestion, Target, TreeNode } from "./types.js";

export type { DataSource, Evaluation, Facts, Guarantee, Outcome, PathQuestion } from "./types.js";

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
