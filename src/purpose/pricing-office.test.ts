import { describe, expect, it } from "vitest";
import {
  DEFAULT_INSURABILITY_REJECTION_CODES,
  DEFAULT_INSURABILITY_REJECTIONS,
  REJECTION_CODE,
} from "./insurability-rejections.js";
import {
  checkPricingOfficePurpose,
  PURPOSE_REASONS,
  purposeReasonMessage,
  rejectionKey,
} from "./pricing-office.js";

const policy = { insurabilityReasons: new Set(["200820", "202720"]), maxUsesPerRejection: 2 };
const facts = {
  reasonCode: "200820",
  deliveryDate: "2025-03-03",
  rejectedOn: "2025-04-20",
  today: "2025-04-22",
  deliveryOnRecord: true,
  previousUses: 0,
};

describe("checkPricingOfficePurpose (brochure §8.2.2.7)", () => {
  it("accepts an insurability rejection of a delivery on record, within the uses allowed", () => {
    expect(checkPricingOfficePurpose(facts, policy)).toEqual({ ok: true, value: undefined });
    expect(checkPricingOfficePurpose({ ...facts, previousUses: 1 }, policy).ok).toBe(true);
  });

  it.each([
    ["a reason that is not an insurability error", { reasonCode: "100101" }, "REASON_NOT_INSURABILITY"],
    ["a rejection dated after today", { rejectedOn: "2025-04-23" }, "REJECTION_IN_FUTURE"],
    ["a rejection before the delivery", { rejectedOn: "2025-03-02" }, "REJECTION_BEFORE_DELIVERY"],
    ["no consultation on record for that delivery", { deliveryOnRecord: false }, "NO_DELIVERY_ON_RECORD"],
    ["a rejection already used up", { previousUses: 2 }, "REJECTION_USES_EXHAUSTED"],
  ])("refuses %s", (_name, over, reason) => {
    const result = checkPricingOfficePurpose({ ...facts, ...over }, policy);
    expect(result).toMatchObject({ ok: false, code: reason });
  });

  it("accepts a rejection on the delivery day itself", () => {
    expect(checkPricingOfficePurpose({ ...facts, rejectedOn: facts.deliveryDate }, policy).ok).toBe(true);
  });

  it("names the reason code first: a pricing office fixes that before anything else", () => {
    const result = checkPricingOfficePurpose(
      { ...facts, reasonCode: "999999", deliveryOnRecord: false },
      policy,
    );
    expect(result).toMatchObject({ ok: false, code: "REASON_NOT_INSURABILITY" });
  });

  it("says how many uses were made when they are exhausted", () => {
    expect(checkPricingOfficePurpose({ ...facts, previousUses: 3 }, policy)).toEqual({
      ok: false,
      code: "REJECTION_USES_EXHAUSTED",
      detail: { uses: 3, limit: 2 },
    });
  });

  it("explains every reason in French, Dutch and English", () => {
    for (const reason of PURPOSE_REASONS) {
      const texts = (["fr", "nl", "en"] as const).map((l) => purposeReasonMessage(reason, l));
      expect(new Set(texts).size).toBe(3);
    }
  });
});

describe("rejectionKey: uses per rejection that free text cannot dodge", () => {
  it("reads one invoice however its reference is written", () => {
    const key = rejectionKey("OT-2025/0042");
    for (const variant of ["ot 2025 0042", "OT20250042", "ot.2025.0042", " OT-2025-0042 ", "ＯＴ-2025/0042"])
      expect(rejectionKey(variant)).toBe(key);
    expect(rejectionKey("OT-2025/0043")).not.toBe(key);
  });
});

describe("the default insurability rejection codes", () => {
  it("are six-digit eFact codes of the individual invoice record (ET 20), each with its wording", () => {
    expect(DEFAULT_INSURABILITY_REJECTION_CODES.length).toBeGreaterThan(5);
    for (const code of DEFAULT_INSURABILITY_REJECTION_CODES) {
      expect(code).toMatch(REJECTION_CODE);
      expect(code.startsWith("20")).toBe(true);
      expect(DEFAULT_INSURABILITY_REJECTIONS[code]?.length).toBeGreaterThan(5);
    }
  });

  it("include 'beneficiary unknown to the insurer' and 'CT1-CT2 does not match the commitment'", () => {
    expect(DEFAULT_INSURABILITY_REJECTION_CODES).toEqual(expect.arrayContaining(["200820", "202720"]));
  });
});
