// The simulator's payment commitment (SPEC §1.3). The real algorithm linking PaymentApproval,
// its seed and the pricing office's check digit is not public (protocol notes §8); ours is an
// HMAC keyed by the simulator's seed over every field of the answer, so that any changed field
// changes the approval, and the same consultation always gives the same values.
import { createHmac } from "node:crypto";
import type { AnswerVerification } from "../ehealth/insurability/index.js";

export interface CommitmentFields {
  reference: string;
  niss?: string;
  mutuality: string;
  registrationNumber: string;
  requested: string;
  communicated: string;
  start: string;
  end: string;
  ct1: string;
  ct2: string;
  thirdPartyPayerRegime: string;
}

const hmac = (secret: string, data: string): Buffer =>
  createHmac("sha256", secret).update(data, "utf8").digest();

export function paymentCommitment(fields: CommitmentFields, seed: number): AnswerVerification {
  const secret = `mcn-simulator:${seed}`;
  // A unit separator keeps ("ab","c") and ("a","bc") apart.
  const canonical = [
    fields.reference,
    fields.niss ?? "",
    fields.mutuality,
    fields.registrationNumber,
    fields.requested,
    fields.communicated,
    fields.start,
    fields.end,
    fields.ct1,
    fields.ct2,
    fields.thirdPartyPayerRegime,
  ].join("\u001f");
  const seedDigits = hmac(secret, `seed\u001f${canonical}`).readBigUInt64BE(0) % 10_000_000_000n;
  const paymentApprovalSeed = seedDigits.toString().padStart(10, "0");
  const paymentApproval = hmac(secret, `approval\u001f${paymentApprovalSeed}\u001f${canonical}`)
    .toString("hex")
    .slice(0, 32)
    .toUpperCase();
  // Two letters, like the "SR" of the only public sample.
  const check = hmac(secret, `ot\u001f${paymentApproval}`);
  const letter = (byte: number | undefined): string => String.fromCharCode(65 + ((byte ?? 0) % 26));
  return {
    paymentApproval,
    paymentApprovalSeed,
    invoicingOfficeCheckDigit: letter(check[0]) + letter(check[1]),
  };
}
