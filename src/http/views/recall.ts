// A recall as the pharmacist's console reads it (SPEC §1.4): the fallback delivery, what its
// tariff rested on, what MyCareNet said afterwards and, for each difference, both values.
import {
  factsOf,
  type EntitlementFacts,
  type RecallDifference,
} from "../../consultation/recall-differences.js";
import type { ConsultationView } from "../../consultation/document.js";
import { parseMutuality } from "../../identifiers/index.js";
import type { Recall, StoredConsultation } from "../../store/index.js";

type Value = string | boolean | number | null;

function valueOf(code: string, facts: EntitlementFacts | null): Value {
  if (facts === null) return null;
  switch (code as RecallDifference) {
    case "no-right":
    case "right":
      return facts.insured;
    case "ct1":
      return facts.ct1;
    case "ct2":
      return facts.ct2;
    case "mutuality":
      return facts.mutuality;
    case "national-union": {
      const m = facts.mutuality === null ? undefined : parseMutuality(facts.mutuality);
      return m?.ok ? m.value.nationalUnion : null;
    }
    case "preferential":
      return facts.preferential;
    default:
      return null;
  }
}

/** Identification only: names and the rest stay in the consultation itself. */
function identification(view: ConsultationView): Record<string, string> {
  const p = view.patient;
  return p.niss !== undefined
    ? { niss: p.niss }
    : { mutuality: p.mutuality ?? "", registrationNumber: p.registrationNumber ?? "" };
}

export function recallView(
  recall: Recall,
  fallback: StoredConsultation | undefined,
  online: StoredConsultation | undefined,
) {
  const used = fallback?.answer;
  const said = online?.answer;
  const usedFacts = used ? factsOf(used) : null;
  const onlineFacts = said ? factsOf(said) : null;
  return {
    id: recall.id,
    consultationId: recall.consultationId,
    reference: fallback?.reference ?? null,
    patient: used ? identification(used) : null,
    deliveryDate: recall.deliveryDate,
    queuedAt: recall.queuedAt,
    status: recall.status,
    attempts: recall.attempts,
    lastAttemptAt: recall.lastAttemptAt,
    resolvedAt: recall.resolvedAt,
    refusal: recall.refusal,
    differences: recall.differences.map((code) => ({
      code,
      fallback: valueOf(code, usedFacts),
      online: valueOf(code, onlineFacts),
    })),
    fallback:
      fallback && used && usedFacts
        ? {
            outcome: fallback.outcome,
            guarantee: fallback.guarantee,
            reason: used.fallback?.reason ?? null,
            insured: usedFacts.insured,
            entitlement: used.entitlement,
            mutuality: usedFacts.mutuality,
          }
        : null,
    online:
      online && said && onlineFacts
        ? {
            consultationId: online.id,
            consultedAt: online.consultedAt,
            insured: onlineFacts.insured,
            entitlement: said.entitlement,
            mutuality: onlineFacts.mutuality,
            reason: said.reason,
            commitment: said.commitment,
          }
        : null,
    handled: recall.handled,
  };
}
