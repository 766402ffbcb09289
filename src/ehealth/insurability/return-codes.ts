// The Insurability v2 ReturnCode table. The real table lives in the non-public "MyCareNet
// Insurability V2 (Pharmacists) Cookbook" §5.2 (protocol notes §4.3, §8): this one is OUR
// assumption, shared by the simulator (which writes these codes) and the daemon (which reads
// them). Only the success code 01/00/00000 is attested (Recip-e connector mock). When the
// cookbook's table is known, change the data here: both sides follow.
//
// Major says who answered: 01 the insurer with a right, 02 the insurer (or the routing) without
// one, 03 the platform refused the input, 09 the platform could not get an answer. Minor picks
// the case. Detail is a field and a cause, `F00CC`, after the GenIns MessageFault catalogue
// (notes §4.2): F = 1 Ssin, 2 Mutuality, 3 RegNrWithMut, 4 Date, 0 the request as a whole;
// CC = the GenIns DetailCode (10 missing, 11 format, 12 check digit, 13 (ours) NISS month,
// 23 unknown in routing, 30 date in the future, 44 several insurers).
import type { AnswerKind, ReturnCode } from "../../consultation/answer.js";

export interface ReturnCodeEntry extends ReturnCode {
  /** An outage is no answer about the patient: it starts the fallback (SPEC §1.4). */
  readonly outage: boolean;
  readonly meaning: string;
}

type TableKind = Exclude<AnswerKind, "unknown">;

export const RETURN_CODES: Readonly<Record<TableKind, ReturnCodeEntry>> = Object.freeze({
  insured: {
    major: "01",
    minor: "00",
    detail: "00000",
    outage: false,
    meaning: "insured at the date: coverage and payment commitment",
  },
  "no-right": {
    major: "02",
    minor: "01",
    detail: "40000",
    outage: false,
    meaning: "known to the insurer, no right at the date",
  },
  "unknown-patient": {
    major: "02",
    minor: "02",
    detail: "10023",
    outage: false,
    meaning: "not found by the routing or the insurer",
  },
  "multiple-insurers": {
    major: "02",
    minor: "03",
    detail: "40044",
    outage: false,
    meaning: "several insurers claim the patient at the date (see MultipleIO)",
  },
  "date-in-future": {
    major: "03",
    minor: "01",
    detail: "40030",
    outage: false,
    meaning: "the requested date is after the consultation date",
  },
  "bad-input": {
    major: "03",
    minor: "02",
    detail: "00010",
    outage: false,
    meaning: "the patient identification is missing or invalid (Detail says which)",
  },
  "insurer-unavailable": {
    major: "09",
    minor: "01",
    detail: "00000",
    outage: true,
    meaning: "the insurer did not answer the platform in time",
  },
});

/** Details of "bad-input": which field, why. */
export const BAD_INPUT_DETAIL = Object.freeze({
  patientMissing: "00010",
  nissFormat: "10011",
  nissChecksum: "10012",
  nissMonth: "10013",
  mutualityFormat: "20011",
  registrationNumberFormat: "30011",
  dateFormat: "40011",
} as const);

export type BadInputDetail = (typeof BAD_INPUT_DETAIL)[keyof typeof BAD_INPUT_DETAIL];

const byMajorMinor = new Map<string, TableKind>(
  (Object.entries(RETURN_CODES) as Array<[TableKind, ReturnCodeEntry]>).map(([kind, e]) => [
    `${e.major}/${e.minor}`,
    kind,
  ]),
);

/** The table's kind for Major and Minor (Detail only refines it), or undefined. */
export function tableKindOf(code: ReturnCode): TableKind | undefined {
  return byMajorMinor.get(`${code.major}/${code.minor}`);
}

/** What the answer's structure says, before its code is read. */
export interface AnswerShape {
  /** `InsurabilityResponse/Coverage` is present (with its Verification: the commitment). */
  readonly coverage: boolean;
}

/**
 * The reading of an answer (issue 13): the structure first, the code after.
 * - Coverage present: insured, whatever the code (the insurer gave the period).
 * - No Coverage: the table's kind when it knows the code; where it is silent, the Major family
 *   (header above) decides: 09 the platform could not get an answer (an outage), 03 the platform
 *   refused the input, anything else a business answer "not insured" whose code is unknown.
 * `codeKnown` is false when the table lacks the code or its kind contradicts the structure.
 */
export function kindOf(code: ReturnCode, shape: AnswerShape): { kind: AnswerKind; codeKnown: boolean } {
  const known = tableKindOf(code);
  if (shape.coverage) return { kind: "insured", codeKnown: known === "insured" };
  if (known !== undefined && known !== "insured") return { kind: known, codeKnown: true };
  switch (code.major) {
    case RETURN_CODES["insurer-unavailable"].major:
      return { kind: "insurer-unavailable", codeKnown: false };
    case RETURN_CODES["bad-input"].major:
      return { kind: "bad-input", codeKnown: false };
    default:
      return { kind: "unknown", codeKnown: false };
  }
}

/** The wire code for a kind; `detail` overrides the default (bad-input says which field). */
export function returnCodeFor(kind: TableKind, detail?: string): ReturnCode {
  const e = RETURN_CODES[kind];
  return { major: e.major, minor: e.minor, detail: detail ?? e.detail };
}

// Only "the platform could not get an answer" is an outage: any other code, known or not, is
// MyCareNet answering (issue 13; brochure §9.3.5 is about no answer, not about an odd one).
export function isOutage(kind: AnswerKind): boolean {
  return kind !== "unknown" && RETURN_CODES[kind].outage;
}
