// SPEC §1.6 / issue: "the pricing office role can read nothing else". Checked on the contract
// itself, so that a route added later cannot open to the pricing office by accident.
import { describe, expect, it } from "vitest";
import { loadContract } from "./openapi.js";

describe("the pricing-office role in openapi.yaml", () => {
  it("reaches its consultation route and nothing else", () => {
    const contract = loadContract();
    const open = [...contract.operations.values()]
      .filter((op) => op.roles.includes("pricing-office"))
      .map((op) => op.operationId);
    expect(open).toEqual(["createPricingOfficeConsultation"]);
  });

  it("is the only role on that route", () => {
    const op = loadContract().operations.get("createPricingOfficeConsultation");
    expect(op?.roles).toEqual(["pricing-office"]);
  });
});
