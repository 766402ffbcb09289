import { describe, expect, it } from "vitest";
import { documentFixture } from "./__fixtures__/document.js";
import { DOCUMENT_VERSION, invoiceOf, upgradeDocument, type DocumentV1 } from "./document.js";

const facts = {
  paymentApproval: "A".repeat(32),
  paymentApprovalSeed: "S".repeat(10),
  invoicingOfficeCheckDigit: "SR",
  coverage: { start: "2026-01-10", end: "2026-03-11" },
  consultedOn: "2026-01-10",
};
const commitment = {
  ...facts,
  window: { start: "2026-01-10", end: "2026-02-09" },
  reusableUntil: "2026-02-09",
};

describe("invoiceOf (brochure §5.4.1)", () => {
  it("an online answer: its own commitment, the consultation date as YYYYMMDD", () => {
    expect(invoiceOf(documentFixture({ id: "c1", commitment }))).toEqual({
      basis: "consultation",
      paymentApproval: "A".repeat(32),
      paymentApprovalSeed: "S".repeat(10),
      invoicingOfficeCheckDigit: "SR",
      consultationDate: "20260110",
      consultationId: "c1",
    });
  });

  it("a reused commitment names the consultation that obtained it", () => {
    const view = documentFixture({ outcome: "reused-commitment", commitment, commitmentOf: "c0" });
    expect(invoiceOf(view)).toMatchObject({ basis: "reuse", consultationId: "c0" });
  });

  it("after the recall, the commitment obtained online; without any, nothing to copy", () => {
    const online = { ...commitment, consultedOn: "2026-01-12", paymentApproval: "B".repeat(32) };
    const recall = {
      state: "confirmed" as const,
      checkedAt: "x",
      consultationId: "r1",
      commitment: online,
      differences: [],
    };
    expect(invoiceOf(documentFixture({ outcome: "last-known", recall }))).toMatchObject({
      basis: "recall",
      paymentApproval: "B".repeat(32),
      consultationDate: "20260112",
      consultationId: "r1",
    });
    expect(invoiceOf(documentFixture({ outcome: "last-known" }))).toBeNull();
    expect(invoiceOf(documentFixture({ outcome: "online", commitment: null }))).toBeNull();
  });
});

describe("upgradeDocument", () => {
  it("gives a version 1 document the rule's window, no recall and no delivery", () => {
    const { commitment: _c, recall: _r, delivery: _d, ...rest } = documentFixture();
    const v1: DocumentV1 = { ...rest, deliveryDate: "2026-01-10", commitment: facts };
    const up = upgradeDocument(v1, 1);
    expect(up.commitment).toEqual(commitment);
    expect(up.recall).toBeNull();
    expect(up.delivery).toBeNull();
  });

  it("leaves a current document as it is", () => {
    const doc = documentFixture({ commitment });
    expect(upgradeDocument(doc, DOCUMENT_VERSION)).toBe(doc);
  });
});
