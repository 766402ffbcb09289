// The pharmacist's override (SPEC §1.4, nodes 5–8): answers are accepted only for questions the
// path actually asks, so a recorded answer always explains the outcome it led to.
import { fail, ok } from "../result.js";
import type { Result } from "../result.js";
import { evaluate } from "./evaluate.js";
import type { Evaluation, Facts } from "./evaluate.js";
import { questionNodes } from "./tree.js";

export type AnswerCode = "FALLBACK_ANSWER_OFF_PATH";

/**
 * Evaluates the tree with the daemon's own facts (nodes 2–4, read from `automatic` only) and
 * the pharmacist's answers (nodes 5–8, read from `answers` only). Refuses an answer to an
 * automatic question, or to a question the resulting path does not reach; the detail names the
 * first such node and its question code.
 */
export function checkAnswers(automatic: Facts, answers: Facts): Result<Evaluation, AnswerCode> {
  const facts: Facts = {};
  for (const n of questionNodes) {
    facts[n.fact] = n.kind === "automatic" ? automatic[n.fact] : answers[n.fact];
  }
  const evaluation = evaluate(facts);
  for (const n of questionNodes) {
    if (answers[n.fact] === undefined) continue;
    if (n.kind === "automatic") {
      return fail("FALLBACK_ANSWER_OFF_PATH", { node: n.id, code: n.code, reason: "automatic" });
    }
    if (!evaluation.path.includes(n.id)) {
      return fail("FALLBACK_ANSWER_OFF_PATH", { node: n.id, code: n.code, reason: "not-on-path" });
    }
  }
  return ok(evaluation);
}
