// POST/GET /v1/mandates, DELETE /v1/mandates/{id} (SPEC §1.6, §4): the titular pharmacist's mandates.
import { CodedError } from "../../errors.js";
import type { MandateBody, Mandates } from "../../services/mandates.js";
import type { Handlers } from "../app.js";

export function mandateHandlers(service: Mandates): Handlers {
  return {
    createMandate: async (request, reply) => {
      const principal = request.principal;
      if (!principal) throw new CodedError("AUTH_REQUIRED");
      return reply.status(201).send(service.give(request.body as MandateBody, principal));
    },
    listMandates: async (request) => {
      const principal = request.principal;
      if (!principal) throw new CodedError("AUTH_REQUIRED");
      return { mandates: service.list(principal) };
    },
    revokeMandate: async (request) => {
      const principal = request.principal;
      if (!principal) throw new CodedError("AUTH_REQUIRED");
      const { id } = request.params as { id: string };
      return service.revoke(id, principal);
    },
  };
}
