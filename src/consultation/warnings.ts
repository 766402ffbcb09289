// Warnings on an online answer: the answer stands, but something disagrees with the rules.
import { coverageWindow, type Day } from "../commitment/index.js";
import type { Code } from "../errors.js";
import type { InsurabilityAnswer } from "./answer.js";

export function warningsFor(answer: InsurabilityAnswer, deliveryDate: Day, consultedOn: Day): Code[] {
  const warnings: Code[] = [];
  // Issue 13: the answer stands, read by its structure; the pharmacist sees the raw code.
  if (answer.unknownCode) warnings.push("UNKNOWN_RETURN_CODE");
  const cov = answer.coverage;
  if (!cov) return warnings;
  // SPEC §1.2: the regime is the tariff signal; a disagreement with CT1's third digit is reported.
  if ((cov.ct1.charAt(2) === "1") !== (cov.thirdPartyPayerRegime === "elevated"))
    warnings.push("REGIME_CT_MISMATCH");
  // SPEC §1.3: MyCareNet's period must be the window the rules give from the delivery date.
  const expected = coverageWindow({
    periods: [{ ct1: cov.ct1, ct2: cov.ct2, begin: cov.start, end: cov.end }],
    deliveryDate,
    consultationDate: consultedOn,
  });
  if (
    !expected.ok ||
    expected.value.coverage.start !== cov.start ||
    expected.value.coverage.end !== cov.end
  ) {
    warnings.push("COVERAGE_MISMATCH");
  }
  return warnings;
}
