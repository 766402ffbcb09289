// The simulated platform and insurers (SPEC §3): the platform checks the identification and
// routes the question to the patient's insurer (national union, 750/999 through 600), which
// answers from the population with the coverage of the commitment rules (SPEC §1.3).
import { compareDays, coverageWindow, isDay } from "../commitment/index.js";
import type { Day } from "../commitment/index.js";
import { BAD_INPUT_DETAIL, returnCodeFor } from "../ehealth/insurability/index.js";
import type { AnswerPatient, InsurabilityAnswer } from "../ehealth/insurability/index.js";
import { parseMutuality, parseNiss, parseRegistrationNumber } from "../identifiers/index.js";
import type { NationalUnion } from "../identifiers/index.js";
import { paymentCommitment } from "./payment-approval.js";
import { regimeOf } from "./person.js";
import type { Person, SimPeriod } from "./person.js";
import type { Population } from "./population.js";

export interface InsurabilityQuestion {
  /** As received: nothing validated yet. */
  patient: { niss?: string; mutuality?: string; registrationNumber?: string };
  /** The requested (delivery) date, as received. */
  date: string;
  /** Today in Brussels at the platform (SPEC §1.3). */
  consultationDate: Day;
  /** RecordCommonInput/Reference: part of what the payment approval seals. */
  reference: string;
}

/** Either the platform answers by itself, or it hands the question to one insurer. */
export type Routing =
  | { to: "platform"; answer: InsurabilityAnswer }
  | { to: "insurer"; union: NationalUnion; person: Person; date: Day };

/** The union that answers for a mutuality code (750 and 999 through 600; SPEC §1.1). */
export function insurerOf(mutuality: string): NationalUnion | undefined {
  const parsed = parseMutuality(mutuality);
  return parsed.ok ? parsed.value.servedThrough : undefined;
}

export function route(population: Population, q: InsurabilityQuestion): Routing {
  const echo = echoOf(q.patient);
  const refuse = (detail: string): Routing => ({
    to: "platform",
    answer: { returnCode: returnCodeFor("bad-input", detail), kind: "bad-input", patient: echo },
  });
  const { niss, mutuality, registrationNumber } = q.patient;

  let person: Person | undefined;
  let askedUnion: NationalUnion | undefined;
  if (niss !== undefined) {
    const parsed = parseNiss(niss);
    if (!parsed.ok || parsed.value.normalized !== niss) {
      const code = parsed.ok ? "NISS_FORMAT" : parsed.code;
      return refuse(
        code === "NISS_CHECKSUM"
          ? BAD_INPUT_DETAIL.nissChecksum
          : code === "NISS_MONTH"
            ? BAD_INPUT_DETAIL.nissMonth
            : BAD_INPUT_DETAIL.nissFormat,
      );
    }
    person = population.byNiss(niss);
  } else if (mutuality !== undefined && registrationNumber !== undefined) {
    askedUnion = insurerOf(mutuality);
    if (askedUnion === undefined) return refuse(BAD_INPUT_DETAIL.mutualityFormat);
    if (!parseRegistrationNumber(registrationNumber).ok)
      return refuse(BAD_INPUT_DETAIL.registrationNumberFormat);
    person = population.byRegistration(mutuality, registrationNumber);
  } else {
    return refuse(BAD_INPUT_DETAIL.patientMissing);
  }
  if (!isDay(q.date)) return refuse(BAD_INPUT_DETAIL.dateFormat);
  const date = q.date;
  const platform = (kind: "date-in-future" | "unknown-patient"): Routing => ({
    to: "platform",
    answer: { returnCode: returnCodeFor(kind), kind, requested: date, patient: echo },
  });
  // brochure §5.2: the delivery date is never after the consultation date.
  if (compareDays(date, q.consultationDate) > 0) return platform("date-in-future");
  if (person === undefined || person.periods.length === 0) return platform("unknown-patient");
  if (askedUnion !== undefined) return { to: "insurer", union: askedUnion, person, date };

  const claiming = [...new Set(person.periods.filter((p) => contains(p, date)).map(unionOf))];
  if (claiming.length > 1) {
    return {
      to: "platform",
      answer: {
        returnCode: returnCodeFor("multiple-insurers"),
        kind: "multiple-insurers",
        requested: date,
        patient: echo,
        multipleIo: claiming.sort((a, b) => a - b).map((u) => String(u / 100)),
      },
    };
  }
  // Nobody covers the date: the routing still knows the last insurer (before it, else the first).
  const union = claiming[0] ?? unionOf(lastBeginningBy(person.periods, date) ?? firstPeriod(person.periods));
  return { to: "insurer", union, person, date };
}

/** One insurer's answer, from the periods it holds for the person. */
export function insurerAnswer(
  routing: Extract<Routing, { to: "insurer" }>,
  q: InsurabilityQuestion,
  seed: number,
): InsurabilityAnswer {
  const { person, union, date } = routing;
  const own = person.periods.filter((p) => unionOf(p) === union);
  const window = coverageWindow({ periods: own, deliveryDate: date, consultationDate: q.consultationDate });
  const membership =
    (own.length > 0 ? lastBeginningBy(own, date) : undefined) ??
    firstPeriod(own.length > 0 ? own : person.periods);
  if (!window.ok) {
    // DATE_IN_FUTURE was answered by the platform already, so this is NO_RIGHT_AT_DATE.
    return {
      returnCode: returnCodeFor("no-right"),
      kind: "no-right",
      requested: date,
      patient: patientOf(person, membership),
    };
  }
  const inForce =
    lastBeginningBy(
      own.filter((p) => contains(p, date)),
      date,
    ) ?? membership;
  const { coverage } = window.value;
  const answerCoverage = {
    communicated: q.consultationDate,
    start: coverage.start,
    end: coverage.end,
    ct1: window.value.ct1,
    ct2: window.value.ct2,
    thirdPartyPayerRegime: regimeOf(inForce),
  };
  const patient = patientOf(person, inForce);
  const verification = paymentCommitment(
    {
      reference: q.reference,
      ...(person.niss === undefined ? {} : { niss: person.niss }),
      mutuality: inForce.mutuality,
      registrationNumber: inForce.registrationNumber,
      requested: date,
      ...answerCoverage,
    },
    seed,
  );
  return {
    returnCode: returnCodeFor("insured"),
    kind: "insured",
    requested: date,
    patient,
    coverage: answerCoverage,
    verification,
  };
}

/** route() then insurerAnswer(): the answer with no fault in between. */
export function answerQuestion(
  population: Population,
  q: InsurabilityQuestion,
  seed: number,
): { union?: NationalUnion; answer: InsurabilityAnswer } {
  const routing = route(population, q);
  if (routing.to === "platform") return { answer: routing.answer };
  return { union: routing.union, answer: insurerAnswer(routing, q, seed) };
}

function unionOf(p: SimPeriod): NationalUnion {
  const union = insurerOf(p.mutuality);
  if (union === undefined) throw new RangeError("a population period has an invalid mutuality");
  return union;
}

function contains(p: SimPeriod, day: Day): boolean {
  return compareDays(p.begin, day) <= 0 && (p.end === null || compareDays(day, p.end) <= 0);
}

function lastBeginningBy(periods: readonly SimPeriod[], day: Day): SimPeriod | undefined {
  return periods
    .filter((p) => compareDays(p.begin, day) <= 0)
    .reduce<SimPeriod | undefined>(
      (best, p) => (best === undefined || compareDays(p.begin, best.begin) >= 0 ? p : best),
      undefined,
    );
}

function firstPeriod(periods: readonly SimPeriod[]): SimPeriod {
  const first = [...periods].sort((a, b) => compareDays(a.begin, b.begin))[0];
  if (first === undefined) throw new RangeError("a person without periods cannot be routed");
  return first;
}

function patientOf(person: Person, membership: SimPeriod): AnswerPatient {
  const patient: AnswerPatient = {
    mutuality: membership.mutuality,
    registrationNumber: membership.registrationNumber,
    // CareReceiver: FirstName ≤ 24, LastName ≤ 48 characters (insurabilityservices_core-2_0.xsd).
    firstName: [...person.firstName].slice(0, 24).join(""),
    lastName: [...person.lastName].slice(0, 48).join(""),
  };
  if (person.niss !== undefined) patient.niss = person.niss;
  if (person.birthDate !== undefined) patient.birthDate = person.birthDate;
  if (person.deceased !== undefined) patient.deceased = person.deceased;
  if (person.sex !== undefined) patient.sex = person.sex;
  return patient;
}

// What the platform may echo of the question without breaking the response XSD.
function echoOf(p: InsurabilityQuestion["patient"]): AnswerPatient {
  const echo: AnswerPatient = {};
  if (p.niss !== undefined && [...p.niss].length === 11) echo.niss = p.niss;
  if (p.mutuality !== undefined && [...p.mutuality].length === 3) echo.mutuality = p.mutuality;
  if (p.registrationNumber !== undefined && [...p.registrationNumber].length <= 13) {
    echo.registrationNumber = p.registrationNumber;
  }
  return echo;
}
