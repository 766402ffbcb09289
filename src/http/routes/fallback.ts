// The pharmacist's answers to the fallback questions of a consultation (SPEC §1.4 nodes 5–8),
// and the consultations still waiting for them.
import {
  answerFallback,
  type FallbackAnswerDeps,
  type FallbackAnswersBody,
} from "../../services/fallback-answers.js";
import { localize } from "../../consultation/document.js";
import { CodedError } from "../../errors.js";
import type { Handlers } from "../app.js";
import { storedView } from "./consultations.js";

export function fallbackHandlers(deps: FallbackAnswerDeps): Handlers {
  return {
    answerFallback: async (request) => {
      const principal = request.principal;
      if (!principal) throw new CodedError("AUTH_REQUIRED");
      const { id } = request.params as { id: string };
      const row = await answerFallback(deps, id, request.body as FallbackAnswersBody, principal);
      return localize(storedView(row), request.lang);
    },
    // The pharmacist console's queue (SPEC §1.4): what still waits for an answer, newest first.
    listPendingFallbacks: async (request) => {
      const { limit } = request.query as { limit?: string };
      // A question settled by a result obtained elsewhere (the portal, SPEC §1.6) waits no more.
      const rows = deps.store
        .pendingFallbacks(limit === undefined ? undefined : Number(limit))
        .filter((row) => !deps.store.imports.isResolved(row.id));
      return { consultations: rows.map((row) => localize(storedView(row), request.lang)) };
    },
  };
}
