// The bulk-consultation guard seen and lifted by the pharmacist (SPEC §1.6).
import { CodedError } from "../../errors.js";
import type { ProportionalityGuard } from "../../services/proportionality-guard.js";
import type { Handlers } from "../app.js";

export function proportionalityHandlers(guard: ProportionalityGuard): Handlers {
  return {
    getProportionality: async () => guard.status(),
    liftProportionality: async (request, reply) => {
      const principal = request.principal;
      if (!principal) throw new CodedError("AUTH_REQUIRED");
      const { reason } = request.body as { reason: string };
      const { lift, created } = guard.lift(
        {
          name: principal.name,
          role: principal.role,
          ...(principal.nihii ? { nihii: principal.nihii } : {}),
        },
        reason.trim(),
      );
      return reply.status(created ? 201 : 200).send({ ...lift, status: guard.status().state });
    },
  };
}
