// Emergency fallback decision tree (SPEC §1.4, brochure §9.2): data, evaluator, wording.
export { evaluate, questionsOnPath } from "./evaluate.js";
export type { DataSource, Evaluation, Facts, Guarantee, Outcome, PathQuestion } from "./evaluate.js";
export { checkAnswers } from "./answers.js";
export type { AnswerCode } from "./answers.js";
export {
  isPharmacistQuestion,
  leaves,
  nodeIds,
  nodes,
  pharmacistNodes,
  questionNode,
  questionNodes,
  ROOT,
} from "./tree.js";
export type {
  ActionNode,
  Leaf,
  LeafOutcome,
  NodeId,
  QuestionCode,
  QuestionNode,
  Target,
  TreeNode,
} from "./types.js";
export { questionText, questionTexts } from "./questions.js";
export { outcomeText, outcomeTexts } from "./outcomes.js";
