import { brusselsDay, isDay } from "../../commitment/index.js";
import { CodedError } from "../../errors.js";
import type { ConsultationService } from "../../consult/service.js";
import { readPatient, type QuestionBody } from "../../consult/question.js";
import { commitmentOfRow, entitlementOf, localize, type ConsultationView } from "../../consult/view.js";
import type { Store } from "../../store/store.js";
import { patientKeyOf } from "../../store/patient-key.js";
import type { StoredConsultation } from "../../store/consultation.js";
import type { Handlers } from "../app.js";

/** The stored answer, with what happened since (delivery confirmed, pharmacist's answers). */
export function storedView(row: StoredConsultation): ConsultationView {
  const view = row.answer as ConsultationView;
  return {
    ...view,
    source: "store",
    delivery: row.delivery ? { confirmedAt: row.delivery.at } : null,
  };
}

export function consultationHandlers(
  service: ConsultationService,
  store: Store,
  clock: () => Date,
): Handlers {
  return {
    createConsultation: async (request, reply) => {
      const principal = request.principal;
      if (!principal) throw new CodedError("AUTH_REQUIRED");
      const result = await service.consult(request.body as QuestionBody, principal);
      return reply.status(result.created ? 201 : 200).send(localize(result.view, request.lang));
    },
    getConsultation: async (request) => {
      const { id } = request.params as { id: string };
      const row = store.getConsultation(id);
      if (!row) throw new CodedError("CONSULTATION_NOT_FOUND");
      return localize(storedView(row), request.lang);
    },
    confirmDelivery: async (request) => {
      const { id } = request.params as { id: string };
      const principal = request.principal;
      if (!principal) throw new CodedError("AUTH_REQUIRED");
      const body = (request.body ?? {}) as { deliveredOn?: string };
      if (body.deliveredOn !== undefined && !isDay(body.deliveredOn)) throw new CodedError("DATE_FORMAT");
      const row = store.confirmDelivery(id, { principal: principal.name, role: principal.role }, clock());
      return localize(storedView(row), request.lang);
    },
    findCommitment: async (request) => {
      const { niss, date } = request.query as { niss: string; date: string };
      if (!isDay(date)) throw new CodedError("DATE_FORMAT");
      if (date > brusselsDay(clock())) throw new CodedError("DATE_IN_FUTURE");
      const patient = readPatient({ niss });
      const row = store.findCommitment(patientKeyOf(patient), date);
      if (!row) throw new CodedError("COMMITMENT_NOT_FOUND");
      return {
        ...commitmentOfRow(row),
        consultationId: row.consultationId,
        entitlement: entitlementOf(row.ct1, row.ct2, row.regime),
      };
    },
  };
}
