// The ReturnCodes the simulated platform and insurers write (ReturnInfo/ReturnCode, 2/2/5
// characters). The real table is in the non-public pharmacist cookbook §5.2 (protocol notes
// §4.3, §8); only 01/00/00000 is attested (Recip-e connector mock). This table is the
// SIMULATOR's own statement, kept here and never read from the daemon: the ordinary answers use
// the values the project has assumed so far, and the `unknown-code` fault answers codes outside
// them, by Major family, so that the daemon's reading of unknown codes can be tested.
//
// Major: 01 the insurer with a right, 02 the insurer or the routing without one, 03 the
// platform refused the input, 09 the platform could not get an answer. Detail `F00CC`: field F
// (1 Ssin, 2 Mutuality, 3 RegNrWithMut, 4 Date, 0 the request) and cause CC (GenIns
// MessageFault catalogue, notes §4.2).

export interface Code {
  major: string;
  minor: string;
  detail: string;
}

/** What the simulated side decided, before it is written as a code. */
export type SimOutcome =
  | "insured"
  | "no-right"
  | "unknown-patient"
  | "multiple-insurers"
  | "date-in-future"
  | "bad-input"
  | "insurer-silent";

const code = (major: string, minor: string, detail: string): Code => Object.freeze({ major, minor, detail });

export const SIM_CODES: Readonly<Record<SimOutcome, Code>> = Object.freeze({
  insured: code("01", "00", "00000"),
  "no-right": code("02", "01", "40000"),
  "unknown-patient": code("02", "02", "10023"),
  "multiple-insurers": code("02", "03", "40044"),
  "date-in-future": code("03", "01", "40030"),
  "bad-input": code("03", "02", "00010"),
  // The platform's "the insurer did not answer in time".
  "insurer-silent": code("09", "01", "00000"),
});

/** Which field of the input was refused, and why (the Detail of "bad-input"). */
export const INPUT_DETAIL = Object.freeze({
  patientMissing: "00010",
  nissFormat: "10011",
  nissChecksum: "10012",
  nissMonth: "10013",
  mutualityFormat: "20011",
  registrationNumberFormat: "30011",
  dateFormat: "40011",
} as const);

export const UNKNOWN_CODE_FAMILIES = ["success", "no-right", "input", "platform", "other"] as const;
export type UnknownCodeFamily = (typeof UNKNOWN_CODE_FAMILIES)[number];

/**
 * Codes of each Major family that SIM_CODES does not hold, and whether the answer carries a
 * Coverage (a success does; the others do not) unless the fault says otherwise.
 */
export const UNKNOWN_CODES: Readonly<Record<UnknownCodeFamily, { code: Code; coverage: boolean }>> =
  Object.freeze({
    success: { code: code("01", "01", "40000"), coverage: true },
    "no-right": { code: code("02", "04", "40040"), coverage: false },
    input: { code: code("03", "03", "00099"), coverage: false },
    platform: { code: code("09", "02", "00000"), coverage: false },
    other: { code: code("05", "01", "00000"), coverage: false },
  });

export function codeFor(outcome: SimOutcome, detail?: string): Code {
  const c = SIM_CODES[outcome];
  return { major: c.major, minor: c.minor, detail: detail ?? c.detail };
}

/** True when the pair Major/Minor is one the simulator writes for an ordinary answer. */
export function isOrdinaryCode(c: Code): boolean {
  return Object.values(SIM_CODES).some((k) => k.major === c.major && k.minor === c.minor);
}

/** `MM/mm/DDDDD` → a Code, or undefined when it is not 2/2/5 digits. */
export function parseCode(text: string): Code | undefined {
  const m = /^(\d{2})\/(\d{2})\/(\d{5})$/.exec(text);
  return m === null ? undefined : { major: m[1]!, minor: m[2]!, detail: m[3]! };
}
