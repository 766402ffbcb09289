import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CodedError } from "../errors.js";
import type { Store } from "./store.js";
import type { OutcomeUpdate } from "./consultation.js";
import { fallbackRecord, ManualClock, open, TempDir } from "./__fixtures__/store-fixture.js";
import { documentFixture } from "../consultation/__fixtures__/document.js";

let dir: TempDir;
let store: Store;
const clock = new ManualClock("2011-11-20T10:05:00Z");
const pharmacist = { name: "pharmacist-anne", role: "pharmacist" as const, nihii: "12345678001" };

beforeEach(() => {
  dir = new TempDir();
  store = open(dir.file(), { now: clock.now });
});
afterEach(() => {
  store.close();
  dir.remove();
});

const sisOutcome: OutcomeUpdate = {
  outcome: "sis-card",
  guarantee: "sis-commitment",
  insured: true,
  answer: documentFixture({ outcome: "sis-card", guarantee: "sis-commitment" }),
  fallback: { reason: "NETWORK_UNREACHABLE", path: [1, 2, 3, 4, 5, 6], question: null },
};

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    if (err instanceof CodedError) return err.code;
    throw err;
  }
  return undefined;
};

describe("recordFallbackAnswers", () => {
  it("keeps each answer with who, when and why, and the outcome they lead to, in one go", () => {
    const id = store.recordConsultation(fallbackRecord({ warnings: ["REGIME_CT_MISMATCH"] }));
    const updated = store.recordFallbackAnswers({
      consultationId: id,
      answers: [
        { node: 5, answer: false, note: "last consultation two years old" },
        { node: 6, answer: true, documentData: { ct1: "110", ct2: "110", validUntil: "2012-12-31" } },
      ],
      by: pharmacist,
      outcome: sisOutcome,
    });
    expect(updated).toMatchObject({
      id,
      outcome: "sis-card",
      guarantee: "sis-commitment",
      insured: true,
      answer: { outcome: "sis-card" },
      warnings: ["REGIME_CT_MISMATCH"],
      fallback: { path: [1, 2, 3, 4, 5, 6], question: null },
    });
    expect(store.fallbackAnswers(id)).toEqual([
      {
        consultationId: id,
        node: 5,
        answer: false,
        note: "last consultation two years old",
        pharmacist: "pharmacist-anne",
        pharmacistNihii: "12345678001",
        answeredAt: "2011-11-20T10:05:00.000Z",
      },
      {
        consultationId: id,
        node: 6,
        answer: true,
        documentData: { ct1: "110", ct2: "110", validUntil: "2012-12-31" },
        pharmacist: "pharmacist-anne",
        pharmacistNihii: "12345678001",
        answeredAt: "2011-11-20T10:05:00.000Z",
      },
    ]);
    const last = store.auditEntries().at(-1);
    expect(last).toMatchObject({
      actor: "pharmacist-anne",
      role: "pharmacist",
      action: "fallback.answered",
      detail: {
        consultation: id,
        answers: [
          { node: 5, answer: false },
          { node: 6, answer: true },
        ],
        outcome: "sis-card",
      },
    });
    // the pharmacist's free text stays out of the audit trail
    expect(JSON.stringify(last?.detail)).not.toContain("two years");
  });

  it("answers in several steps, and refuses a second answer to the same node, changing nothing", () => {
    const id = store.recordConsultation(fallbackRecord());
    store.recordFallbackAnswers({
      consultationId: id,
      answers: [{ node: 5, answer: false }],
      by: pharmacist,
      outcome: {
        outcome: "needs-pharmacist",
        guarantee: "none",
        answer: documentFixture({ outcome: "needs-pharmacist" }),
        fallback: {
          reason: "NETWORK_UNREACHABLE",
          path: [1, 2, 3, 4, 5, 6],
          question: { node: 6, code: "sisCard" },
        },
      },
    });
    const auditBefore = store.auditHead();
    expect(
      codeOf(() =>
        store.recordFallbackAnswers({
          consultationId: id,
          answers: [
            { node: 6, answer: true },
            { node: 5, answer: true },
          ],
          by: pharmacist,
          outcome: sisOutcome,
        }),
      ),
    ).toBe("FALLBACK_ALREADY_ANSWERED");
    expect(store.fallbackAnswers(id).map((a) => [a.node, a.answer])).toEqual([[5, false]]);
    expect(store.getConsultation(id)?.outcome).toBe("needs-pharmacist");
    expect(store.auditHead()).toEqual(auditBefore);

    store.recordFallbackAnswers({
      consultationId: id,
      answers: [{ node: 6, answer: true }],
      by: pharmacist,
      outcome: sisOutcome,
    });
    expect(store.getConsultation(id)?.outcome).toBe("sis-card");
  });

  it("refuses the same node twice in one request", () => {
    const id = store.recordConsultation(fallbackRecord());
    expect(
      codeOf(() =>
        store.recordFallbackAnswers({
          consultationId: id,
          answers: [
            { node: 7, answer: true },
            { node: 7, answer: false },
          ],
          by: pharmacist,
          outcome: sisOutcome,
        }),
      ),
    ).toBe("FALLBACK_ALREADY_ANSWERED");
    expect(store.fallbackAnswers(id)).toEqual([]);
  });

  it("says CONSULTATION_NOT_FOUND for an unknown consultation", () => {
    expect(
      codeOf(() =>
        store.recordFallbackAnswers({
          consultationId: "nope",
          answers: [{ node: 5, answer: true }],
          by: pharmacist,
          outcome: sisOutcome,
        }),
      ),
    ).toBe("CONSULTATION_NOT_FOUND");
  });

  it("refuses a node outside 5–8 in the table itself", () => {
    const id = store.recordConsultation(fallbackRecord());
    expect(() =>
      store.recordFallbackAnswers({
        consultationId: id,
        answers: [{ node: 4 as never, answer: true }],
        by: pharmacist,
        outcome: sisOutcome,
      }),
    ).toThrow(/CHECK constraint/);
    expect(store.getConsultation(id)?.outcome).toBe("needs-pharmacist");
  });
});
