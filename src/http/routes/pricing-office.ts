// POST /v1/pricing-office/consultations (SPEC §1.6, §4): the pricing office's only route.
import { purposeReasonMessage, type PurposeReason } from "../../purpose/index.js";
import { CodedError } from "../../errors.js";
import type { PricingOfficeBody, PricingOfficeService } from "../../services/pricing-office.js";
import type { Handlers } from "../app.js";

export function pricingOfficeHandlers(service: PricingOfficeService): Handlers {
  return {
    createPricingOfficeConsultation: async (request) => {
      const principal = request.principal;
      if (!principal) throw new CodedError("AUTH_REQUIRED");
      try {
        return await service.consult(request.body as PricingOfficeBody, principal);
      } catch (err) {
        // The stable sub-code stays in `reason`; `detail` says it in the reader's language.
        if (
          err instanceof CodedError &&
          err.code === "PURPOSE_NOT_ALLOWED" &&
          typeof err.detail?.["reason"] === "string"
        ) {
          const reason = err.detail["reason"] as PurposeReason;
          throw new CodedError("PURPOSE_NOT_ALLOWED", {
            ...err.detail,
            detail: purposeReasonMessage(reason, request.lang),
          });
        }
        throw err;
      }
    },
  };
}
