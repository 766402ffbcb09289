// A whole consultation document for tests that write the store directly: what they set over it.
import type { ConsultationView } from "../document.js";

export function documentFixture(over: Partial<ConsultationView> = {}): ConsultationView {
  return {
    id: "fixture",
    reference: "REF",
    source: "online",
    outcome: "online",
    guarantee: "payment-commitment",
    insured: true,
    patient: {},
    deliveryDate: "2011-11-12",
    consultedAt: "2011-11-12T09:30:00.000Z",
    entitlement: null,
    commitment: null,
    returnCode: null,
    reason: null,
    fallback: null,
    session: null,
    delivery: null,
    recall: null,
    warnings: [],
    ...over,
  };
}

export const ENTITLEMENT_110 = {
  ct1: "110",
  ct2: "110",
  thirdPartyPayerRegime: "standard",
  preferential: false,
} as const;
