// The faults that change what an answer says rather than how it travels (faults.ts):
// unknown-code, long-period (in insurers.ts, where the coverage is computed) and
// mismatched-echo. Every answer they produce still validates against the response XSD.
import type { InsurabilityAnswer } from "../ehealth/insurability/index.js";
import type { EchoField, FaultDecision } from "./faults.js";
import type { InsurabilityQuestion } from "./insurers.js";
import { addDays, COVERAGE_DAYS, isDay, parseCode, syntheticNiss, UNKNOWN_CODES } from "./oracle/index.js";
import { paymentCommitment } from "./payment-approval.js";

/**
 * The answer with a return code the simulator's table does not hold. Coverage (and with it the
 * payment commitment) is kept, made up when the patient had none (start = the date asked, end
 * start + 30, 110/110), or dropped, as the family or `coverage` says.
 */
export function withUnknownCode(
  answer: InsurabilityAnswer,
  d: FaultDecision,
  q: InsurabilityQuestion,
  seed: number,
): InsurabilityAnswer {
  const family = UNKNOWN_CODES[d.family ?? "success"];
  const code = (d.returnCode === undefined ? undefined : parseCode(d.returnCode)) ?? family.code;
  const shaped: InsurabilityAnswer = {
    ...answer,
    returnCode: { ...code },
    kind: "unknown",
    unknownCode: true,
  };
  const withCoverage = d.coverage ?? family.coverage;
  if (!withCoverage) {
    delete shaped.coverage;
    delete shaped.verification;
    return shaped;
  }
  if (shaped.coverage !== undefined) return shaped;
  const start = isDay(q.date) ? q.date : q.consultationDate;
  shaped.requested = start;
  const coverage = {
    communicated: q.consultationDate,
    start,
    end: addDays(start, COVERAGE_DAYS),
    ct1: "110",
    ct2: "110",
    thirdPartyPayerRegime: "standard" as const,
  };
  shaped.coverage = coverage;
  shaped.verification = paymentCommitment(
    {
      reference: q.reference,
      ...(answer.patient.niss === undefined ? {} : { niss: answer.patient.niss }),
      mutuality: answer.patient.mutuality ?? "",
      registrationNumber: answer.patient.registrationNumber ?? "",
      requested: start,
      ...coverage,
    },
    seed,
  );
  return shaped;
}

const MAX_RECORD_REFERENCE = 99_999_999_999_999n; // RecordReferenceType (xs:decimal, 14 digits)

/** The answer echoing another question than the one asked (issue 13 §5). */
export function withMismatchedEcho(
  answer: InsurabilityAnswer,
  echo: EchoField,
  q: InsurabilityQuestion,
): InsurabilityAnswer {
  const shaped: InsurabilityAnswer = { ...answer, patient: { ...answer.patient } };
  switch (echo) {
    case "reference": {
      const asked = /^\d{1,14}$/.test(q.reference) ? BigInt(q.reference) : 0n;
      shaped.reference = String(asked >= MAX_RECORD_REFERENCE ? 0n : asked + 1n);
      return shaped;
    }
    case "requested":
      shaped.requested = addDays(isDay(q.date) ? q.date : q.consultationDate, -1);
      return shaped;
    case "ssin": {
      const asked = shaped.patient.niss ?? q.patient.niss;
      const other = syntheticNiss("1960-01-01", 1);
      shaped.patient.niss = other === asked ? syntheticNiss("1960-01-01", 3) : other;
      return shaped;
    }
  }
}
