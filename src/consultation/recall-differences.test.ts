import { describe, expect, it } from "vitest";
import { factsOf, recallDifferences, type EntitlementFacts } from "./recall-differences.js";
import type { ConsultationView } from "./document.js";

const insured = (over: Partial<EntitlementFacts> = {}): EntitlementFacts => ({
  insured: true,
  ct1: "110",
  ct2: "110",
  mutuality: "121",
  preferential: false,
  ...over,
});
const noRight: EntitlementFacts = {
  insured: false,
  ct1: null,
  ct2: null,
  mutuality: null,
  preferential: null,
};

describe("recallDifferences (brochure §9.3.5)", () => {
  it("confirms when MyCareNet says what the fallback used", () => {
    for (const outcome of ["reused-commitment", "last-known", "sis-card", "document"] as const) {
      expect(recallDifferences(outcome, insured(), insured())).toEqual([]);
    }
  });

  it("reports no right when the fallback assumed one, and a right when it assumed none", () => {
    expect(recallDifferences("sis-card", insured(), noRight)).toEqual(["no-right"]);
    expect(recallDifferences("last-known", noRight, insured())).toEqual(["right"]);
    expect(recallDifferences("last-known", noRight, noRight)).toEqual([]);
  });

  it("names every entitlement and insurer difference", () => {
    const online = insured({ ct1: "131", ct2: "131", mutuality: "311", preferential: true });
    expect(recallDifferences("document", insured(), online)).toEqual([
      "ct1",
      "ct2",
      "mutuality",
      "national-union",
      "preferential",
    ]);
    // Another mutuality of the same national union (121 → 132: both Christian, 100).
    expect(recallDifferences("sis-card", insured(), insured({ mutuality: "132" }))).toEqual(["mutuality"]);
  });

  it("compares only what both sides know", () => {
    expect(
      recallDifferences("document", insured({ mutuality: null }), insured({ mutuality: "311" })),
    ).toEqual([]);
  });

  it("finds nothing to contradict in a model 704 delivery (no third-party payment)", () => {
    expect(recallDifferences("model-704", noRight, insured())).toEqual([]);
    expect(recallDifferences("model-704", insured(), noRight)).toEqual([]);
  });
});

describe("factsOf", () => {
  const base: ConsultationView = {
    id: "c",
    reference: "r",
    source: "store",
    outcome: "sis-card",
    guarantee: "sis-commitment",
    insured: true,
    patient: { niss: "75061512310", mutuality: "999" },
    deliveryDate: "2026-01-02",
    consultedAt: "2026-01-02T10:00:00.000Z",
    entitlement: { ct1: "131", ct2: "131", thirdPartyPayerRegime: null, preferential: true },
    commitment: null,
    returnCode: null,
    reason: null,
    fallback: {
      reason: "timeout",
      path: [1, 2, 3, 6],
      question: null,
      lastKnown: null,
      answers: [],
      data: {
        source: "sis-card",
        insured: true,
        ct1: "131",
        ct2: "131",
        mutuality: "311",
        registrationNumber: null,
      },
    },
    session: null,
    delivery: null,
    recall: null,
    warnings: [],
  };

  it("takes the fallback's data first (the mutuality read from the card, not the one asked with)", () => {
    expect(factsOf(base)).toEqual({
      insured: true,
      ct1: "131",
      ct2: "131",
      mutuality: "311",
      preferential: true,
    });
  });

  it("reads an online answer from its entitlement and patient", () => {
    const online: ConsultationView = {
      ...base,
      outcome: "online",
      fallback: null,
      patient: { mutuality: "121" },
    };
    expect(factsOf(online)).toEqual({
      insured: true,
      ct1: "131",
      ct2: "131",
      mutuality: "121",
      preferential: true,
    });
    const none: ConsultationView = { ...online, insured: false, entitlement: null };
    expect(factsOf(none)).toEqual({
      insured: false,
      ct1: null,
      ct2: null,
      mutuality: "121",
      preferential: null,
    });
  });
});
