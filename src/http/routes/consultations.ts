import { brusselsDay, compareDays, isDay } from "../../commitment/index.js";
import { CodedError } from "../../errors.js";
import type { ConsultationService } from "../../services/consultation.js";
import { readPastDay, readPatient, type QuestionBody } from "../../consultation/question.js";
import {
  commitmentOfRow,
  entitlementOf,
  localize,
  type ConsultationView,
} from "../../consultation/document.js";
import type { Store } from "../../store/store.js";
import { patientKeyOf } from "../../identifiers/patient-key.js";
import type { StoredConsultation } from "../../store/consultation.js";
import { COMMITMENT_ACTIONS } from "../../audit-actions.js";
import type { Handlers } from "../app.js";

/** The stored document, with what happened since (delivery confirmed, answers, recall). */
export function storedView(row: StoredConsultation): ConsultationView {
  const view = row.answer;
  // A result obtained elsewhere keeps saying where it came from (SPEC §1.6).
  return { ...view, source: view.import ? view.import.source : "store" };
}

export interface ConsultationRouteDeps {
  readonly service: ConsultationService;
  readonly store: Store;
  readonly clock: () => Date;
  /** brochure §5.3: true while MyCareNet cannot be consulted (circuit open, no session). */
  readonly mycarenetUnavailable: () => boolean;
  /** SPEC §1.3 retention: the first day kept, where the change feed starts without `since`. */
  readonly retentionStart: () => string;
}

const CHANGES_LIMIT = 200;
const CURSOR = /^[0-9]{1,15}$/;

export function consultationHandlers(deps: ConsultationRouteDeps): Handlers {
  const { service, store, clock } = deps;
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
    // The dispensing software's change feed (issue 14 §2): recalls resolved and deliveries
    // confirmed, oldest first; the cursor is the last entry's sequence number, opaque to it.
    listConsultationChanges: async (request) => {
      const { since } = request.query as { since?: string };
      if (since !== undefined && !CURSOR.test(since)) throw new CodedError("CHANGES_CURSOR_INVALID");
      const after = since === undefined ? 0 : Number(since);
      const changes = store.consultationChanges(after, deps.retentionStart(), CHANGES_LIMIT);
      const items = changes.flatMap((c) => {
        const row = store.getConsultation(c.consultationId);
        return row
          ? [{ change: c.kind, at: c.at, consultation: localize(storedView(row), request.lang) }]
          : [];
      });
      const last = changes[changes.length - 1];
      return { items, cursor: String(last === undefined ? after : last.seq) };
    },
    confirmDelivery: async (request) => {
      const { id } = request.params as { id: string };
      const principal = request.principal;
      if (!principal) throw new CodedError("AUTH_REQUIRED");
      const body = (request.body ?? {}) as { deliveredOn?: string };
      if (body.deliveredOn !== undefined && !isDay(body.deliveredOn)) throw new CodedError("DATE_FORMAT");
      const now = clock();
      const today = brusselsDay(now);
      const deliveredOn = body.deliveredOn ?? today;
      const row = store.getConsultation(id);
      if (!row) throw new CodedError("CONSULTATION_NOT_FOUND");
      if (compareDays(deliveredOn, today) > 0) throw new CodedError("DELIVERED_IN_FUTURE");
      if (compareDays(deliveredOn, row.deliveryDate) < 0)
        throw new CodedError("DELIVERED_BEFORE_DELIVERY_DATE", { deliveryDate: row.deliveryDate });
      const confirmed = store.confirmDelivery(
        id,
        { name: principal.name, role: principal.role },
        now,
        deliveredOn,
      );
      return localize(storedView(confirmed), request.lang);
    },
    // What is stored for a date (SPEC §1.3 reuse); brochure §5.3: it serves a new delivery only
    // while MyCareNet cannot be consulted. Every look-up is audited (who, which patient, date).
    findCommitment: async (request) => {
      const principal = request.principal;
      if (!principal) throw new CodedError("AUTH_REQUIRED");
      const { niss, date } = request.query as { niss: string; date: string };
      const day = readPastDay(date, brusselsDay(clock()));
      const patient = readPatient({ niss });
      const patientKey = patientKeyOf(patient);
      const row = store.findCommitment(patientKey, day);
      const servesNewDelivery = row !== undefined && deps.mycarenetUnavailable();
      // Durable before the answer leaves, in the group of writes arriving with it (issue 18).
      await store.grouped.appendAudit({
        actor: principal.name,
        role: principal.role,
        action: COMMITMENT_ACTIONS.lookedUp,
        patientKey,
        detail: { date: day, found: row?.consultationId ?? null, servesNewDelivery },
      });
      if (!row) throw new CodedError("COMMITMENT_NOT_FOUND");
      return {
        ...commitmentOfRow(row),
        consultationId: row.consultationId,
        entitlement: entitlementOf(row.ct1, row.ct2, row.regime),
        date,
        servesNewDelivery,
      };
    },
  };
}
