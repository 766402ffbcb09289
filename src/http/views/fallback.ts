import type { Lang } from "../../errors.js";
import { questionText, type Evaluation } from "../../fallback/index.js";

/** The evaluation as the API shows it: the pending question carries its text in the request's language. */
export function describeEvaluation(evaluation: Evaluation, lang: Lang) {
  const { question } = evaluation;
  return {
    ...evaluation,
    question: question ? { ...question, text: questionText(question.code, lang) } : null,
  };
}
