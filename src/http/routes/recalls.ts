// Recalls of fallback deliveries (SPEC §1.4, brochure §9.3.5): the list, a run on demand, and
// the pharmacist's acknowledgement of a result.
import type { RecallRunner } from "../../services/recall.js";
import { CodedError } from "../../errors.js";
import type { Recall, RecallFilter, RecallStatus, Store } from "../../store/index.js";
import type { Handlers } from "../app.js";
import { recallView } from "../views/recall.js";

export function recallHandlers(store: Store, runner: RecallRunner, clock: () => Date): Handlers {
  const view = (recall: Recall) =>
    recallView(
      recall,
      store.getConsultation(recall.consultationId),
      recall.onlineConsultationId === null ? undefined : store.getConsultation(recall.onlineConsultationId),
    );
  return {
    listRecalls: async (request) => {
      const query = request.query as { status?: RecallStatus; handled?: "true" | "false"; limit?: string };
      const filter: RecallFilter = {
        ...(query.status !== undefined ? { status: query.status } : {}),
        ...(query.handled !== undefined ? { handled: query.handled === "true" } : {}),
        ...(query.limit !== undefined ? { limit: Number(query.limit) } : {}),
      };
      return { recalls: store.listRecalls(filter).map(view) };
    },
    runRecalls: async (request) => {
      const principal = request.principal;
      if (!principal) throw new CodedError("AUTH_REQUIRED");
      const run = await runner.run("manual", {
        name: principal.name,
        role: principal.role,
        ...(principal.nihii !== undefined ? { nihii: principal.nihii } : {}),
      });
      return { ...run, resolved: run.resolved.map(view) };
    },
    markRecallHandled: async (request) => {
      const principal = request.principal;
      if (!principal) throw new CodedError("AUTH_REQUIRED");
      const { id } = request.params as { id: string };
      const recall = store.markRecallHandled(
        id,
        {
          name: principal.name,
          role: principal.role,
          ...(principal.nihii ? { nihii: principal.nihii } : {}),
        },
        clock(),
      );
      return view(recall);
    },
  };
}
