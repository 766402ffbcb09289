import { describe, expect, it } from "vitest";
import { paymentCommitment } from "./payment-approval.js";
import type { CommitmentFields } from "./payment-approval.js";

const fields: CommitmentFields = {
  reference: "20000001",
  niss: "75061512374",
  mutuality: "121",
  registrationNumber: "1975061512301",
  requested: "2025-03-10",
  communicated: "2025-03-10",
  start: "2025-03-10",
  end: "2025-04-09",
  ct1: "110",
  ct2: "110",
  thirdPartyPayerRegime: "standard",
};

describe("paymentCommitment", () => {
  it("has the XSD's lengths and is stable for the same answer and seed", () => {
    const v = paymentCommitment(fields, 1);
    expect(v.paymentApproval).toMatch(/^[0-9A-F]{32}$/);
    expect(v.paymentApprovalSeed).toMatch(/^[0-9]{10}$/);
    expect(v.invoicingOfficeCheckDigit).toMatch(/^[A-Z]{2}$/);
    expect(paymentCommitment(fields, 1)).toEqual(v);
  });

  it("changes when any field changes, or with the simulator's seed", () => {
    const approval = paymentCommitment(fields, 1).paymentApproval;
    for (const key of Object.keys(fields) as Array<keyof CommitmentFields>) {
      const changed = { ...fields, [key]: `${fields[key] ?? ""}x` };
      expect(paymentCommitment(changed, 1).paymentApproval, key).not.toBe(approval);
    }
    const { niss: _niss, ...withoutNiss } = fields;
    expect(paymentCommitment(withoutNiss, 1).paymentApproval).not.toBe(approval);
    expect(paymentCommitment(fields, 2).paymentApproval).not.toBe(approval);
  });
});
