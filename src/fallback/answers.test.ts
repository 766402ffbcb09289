import { describe, expect, it } from "vitest";
import { checkAnswers } from "./answers.js";
import type { Facts } from "./evaluate.js";

const knownNoCommitment: Facts = { networkAvailable: false, patientKnown: true, commitmentCoversDate: false };
const unknownPatient: Facts = { networkAvailable: false, patientKnown: false };

describe("checkAnswers", () => {
  it("accepts the answers the path asks for and returns the evaluation", () => {
    const r = checkAnswers(knownNoCommitment, { trustLastKnown: true });
    expect(r.ok && r.value.outcome).toBe("last-known");
    expect(r.ok && r.value.path).toEqual([1, 2, 3, 4, 5]);
  });

  it("accepts a full chain of answers down to model 704", () => {
    const r = checkAnswers(unknownPatient, { sisCard: false, otherDocument: true, trustDocument: false });
    expect(r.ok && r.value.outcome).toBe("model-704");
    expect(r.ok && r.value.path).toEqual([1, 2, 3, 6, 7, 8]);
  });

  it("accepts partial answers and reports the next question", () => {
    const r = checkAnswers(knownNoCommitment, { trustLastKnown: false });
    expect(r.ok && r.value.question).toEqual({ node: 6, code: "SIS_CARD" });
    const none = checkAnswers(knownNoCommitment, {});
    expect(none.ok && none.value.question).toEqual({ node: 5, code: "TRUST_LAST_KNOWN" });
  });

  it("refuses an answer to node 5 when the patient is unknown (path 1-2-3-6)", () => {
    expect(checkAnswers(unknownPatient, { trustLastKnown: true, sisCard: true })).toEqual({
      ok: false,
      code: "FALLBACK_ANSWER_OFF_PATH",
      detail: { node: 5, code: "TRUST_LAST_KNOWN", reason: "not-on-path" },
    });
  });

  it("refuses answers beyond the leaf the earlier answers reach", () => {
    const r = checkAnswers(unknownPatient, { sisCard: true, otherDocument: true });
    expect(r).toEqual({
      ok: false,
      code: "FALLBACK_ANSWER_OFF_PATH",
      detail: { node: 7, code: "OTHER_DOCUMENT", reason: "not-on-path" },
    });
  });

  it("refuses any pharmacist answer when the network is available", () => {
    const r = checkAnswers({ networkAvailable: true }, { sisCard: true });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.detail).toEqual({ node: 6, code: "SIS_CARD", reason: "not-on-path" });
  });

  it("refuses an answer to an automatic question (nodes 2–4 are the daemon's)", () => {
    const r = checkAnswers(knownNoCommitment, { commitmentCoversDate: true });
    expect(r).toEqual({
      ok: false,
      code: "FALLBACK_ANSWER_OFF_PATH",
      detail: { node: 4, code: "COMMITMENT_COVERS_DATE", reason: "automatic" },
    });
  });

  it("reads pharmacist facts from the answers only, never from the automatic facts", () => {
    const r = checkAnswers({ ...unknownPatient, sisCard: true }, {});
    expect(r.ok && r.value.outcome).toBe("needs-pharmacist");
    expect(r.ok && r.value.question).toEqual({ node: 6, code: "SIS_CARD" });
  });
});
