// What an online answer leaves in the store beside the consultation (SPEC §1.3, §1.4 node 5):
// its payment commitment with the window the daemon relies on, and what it said of the patient.
// One place for the answers MyCareNet gave the daemon and those obtained elsewhere (imports).
import type { InsurabilityAnswer } from "../consultation/answer.js";
import type { ConsultationView } from "../consultation/document.js";

export function commitmentAndPatientOf(view: ConsultationView, answer: InsurabilityAnswer) {
  const cov = answer.coverage;
  const mutuality = answer.patient.mutuality ? { mutuality: answer.patient.mutuality } : {};
  return {
    ...(view.commitment && cov
      ? {
          commitment: {
            paymentApproval: view.commitment.paymentApproval,
            paymentApprovalSeed: view.commitment.paymentApprovalSeed,
            invoicingOfficeCheckDigit: view.commitment.invoicingOfficeCheckDigit,
            coverage: view.commitment.coverage,
            window: view.commitment.window,
            ct1: cov.ct1,
            ct2: cov.ct2,
            regime: cov.thirdPartyPayerRegime,
            ...mutuality,
          },
        }
      : {}),
    knownPatient: {
      insured: view.insured ?? false,
      ...(cov ? { ct1: cov.ct1, ct2: cov.ct2, regime: cov.thirdPartyPayerRegime } : {}),
      ...mutuality,
      ...(answer.patient.registrationNumber ? { registrationNumber: answer.patient.registrationNumber } : {}),
    },
  };
}
