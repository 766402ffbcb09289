// POST /v1/consultations/import (SPEC §1.6, §4): a result obtained elsewhere, recorded.
import { localize } from "../../consultation/document.js";
import { CodedError } from "../../errors.js";
import type { ConsultationImports, ImportBody } from "../../services/imports.js";
import type { Handlers } from "../app.js";

export function importHandlers(service: ConsultationImports): Handlers {
  return {
    importConsultation: async (request, reply) => {
      const principal = request.principal;
      if (!principal) throw new CodedError("AUTH_REQUIRED");
      const view = service.record(request.body as ImportBody, principal);
      return reply.status(201).send(localize(view, request.lang));
    },
  };
}
