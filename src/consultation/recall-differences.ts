// What a recall found (SPEC §1.4, brochure §9.3.5): the online answer for a fallback delivery's
// date against the data the fallback computed the tariff with. Pure.
import type { Outcome } from "../fallback/index.js";
import { parseMutuality } from "../identifiers/index.js";
import type { ConsultationView } from "./document.js";

/**
 * Stable codes. `no-right`: the fallback assumed a right, MyCareNet says there is none;
 * `right`: the other way round; `ct1`/`ct2`: another entitlement code; `mutuality`: another
 * insurer, `national-union` when it also belongs to another national union; `preferential`:
 * another preferential (BIM) status, the tariff signal.
 */
export type RecallDifference =
  "no-right" | "right" | "ct1" | "ct2" | "mutuality" | "national-union" | "preferential";

export const RECALL_DIFFERENCES: readonly RecallDifference[] = [
  "no-right",
  "right",
  "ct1",
  "ct2",
  "mutuality",
  "national-union",
  "preferential",
];

/** What one side says of the patient at the delivery date; null = not known on that side. */
export interface EntitlementFacts {
  insured: boolean | null;
  ct1: string | null;
  ct2: string | null;
  mutuality: string | null;
  preferential: boolean | null;
}

export function recallDifferences(
  outcome: Outcome,
  used: EntitlementFacts,
  online: EntitlementFacts,
): RecallDifference[] {
  // Model 704: delivered without third-party payment, nothing was claimed from the insurer.
  if (outcome === "model-704" || outcome === "online" || outcome === "needs-pharmacist") return [];
  if (used.insured === true && online.insured === false) return ["no-right"];
  if (used.insured === false && online.insured === true) return ["right"];
  if (used.insured !== true || online.insured !== true) return [];
  const out: RecallDifference[] = [];
  const differ = <T>(a: T | null, b: T | null): boolean => a !== null && b !== null && a !== b;
  if (differ(used.ct1, online.ct1)) out.push("ct1");
  if (differ(used.ct2, online.ct2)) out.push("ct2");
  if (differ(used.mutuality, online.mutuality)) {
    out.push("mutuality");
    if (differ(unionOf(used.mutuality), unionOf(online.mutuality))) out.push("national-union");
  }
  if (differ(used.preferential, online.preferential)) out.push("preferential");
  return out;
}

function unionOf(code: string | null): number | null {
  if (code === null) return null;
  const m = parseMutuality(code);
  return m.ok ? m.value.nationalUnion : null;
}

/** What a consultation's stored view says: the fallback's data when it has some, else its answer. */
export function factsOf(view: ConsultationView): EntitlementFacts {
  const data = view.fallback?.data ?? null;
  return {
    insured: data?.insured ?? view.insured,
    ct1: view.entitlement?.ct1 ?? data?.ct1 ?? null,
    ct2: view.entitlement?.ct2 ?? data?.ct2 ?? null,
    mutuality: data?.mutuality ?? view.patient.mutuality ?? null,
    preferential: view.entitlement?.preferential ?? null,
  };
}
