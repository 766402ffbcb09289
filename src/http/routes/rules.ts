// The stateless rule endpoints: what a NISS says, and the fallback tree from given facts.
import { CodedError } from "../../errors.js";
import { evaluate, type Facts } from "../../fallback/index.js";
import { parseNiss } from "../../identifiers/index.js";
import type { Handlers } from "../app.js";
import { describeEvaluation } from "../views/fallback.js";

export function ruleHandlers(): Handlers {
  return {
    getNiss: async (request) => {
      const { value } = request.params as { value: string };
      const parsed = parseNiss(value);
      if (!parsed.ok) throw new CodedError(parsed.code);
      const { normalized, kind, birthDate, sex } = parsed.value;
      return { valid: true, normalized, kind, birthDate, sex };
    },
    evaluateFallback: async (request) => describeEvaluation(evaluate(request.body as Facts), request.lang),
  };
}
