// The simulated platform and insurers (SPEC §3): the platform checks the identification and
// routes the question to the patient's insurer (national union, 750/999 through 600), which
// answers from the population with the coverage of brochure §5.2, computed by the simulator's
// own oracle (./oracle), never by the daemon's rules.
import type { AnswerKind, AnswerPatient, InsurabilityAnswer } from "../ehealth/insurability/index.js";
import {
  checkNiss,
  codeFor,
  compareDays,
  coveragePeriod,
  INPUT_DETAIL,
  isDay,
  isRegistrationNumber,
  overlongEnd,
  unionOfMutuality,
} from "./oracle/index.js";
import type { Day, SimOutcome, Union } from "./oracle/index.js";
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
  { to: "platform"; answer: InsurabilityAnswer } | { to: "insurer"; union: Union; person: Person; date: Day };

/** The union that answers for a mutuality code (750 and 999 through 600; SPEC §1.1). */
export function insurerOf(mutuality: string): Union | undefined {
  return unionOfMutuality(mutuality);
}

// The `kind` the wire types carry alongside the code (not written on the wire).
const KIND: Readonly<Record<SimOutcome, AnswerKind>> = {
  insured: "insured",
  "no-right": "no-right",
  "unknown-patient": "unknown-patient",
  "multiple-insurers": "multiple-insurers",
  "date-in-future": "date-in-future",
  "bad-input": "bad-input",
  "insurer-silent": "insurer-unavailable",
};

/** The return code and kind of an ordinary answer. */
export function outcome(o: SimOutcome, detail?: string): Pick<InsurabilityAnswer, "returnCode" | "kind"> {
  return { returnCode: codeFor(o, detail), kind: KIND[o] };
}

export function route(population: Population, q: InsurabilityQuestion): Routing {
  const echo = echoOf(q.patient);
  const refuse = (detail: string): Routing => ({
    to: "platform",
    answer: { ...outcome("bad-input", detail), patient: echo },
  });
  const { niss, mutuality, registrationNumber } = q.patient;

  let person: Person | undefined;
  let askedUnion: Union | undefined;
  if (niss !== undefined) {
    const check = checkNiss(niss);
    if (check !== "ok") {
      return refuse(
        check === "checksum"
          ? INPUT_DETAIL.nissChecksum
          : check === "month"
            ? INPUT_DETAIL.nissMonth
            : INPUT_DETAIL.nissFormat,
      );
    }
    person = population.byNiss(niss);
  } else if (mutuality !== undefined && registrationNumber !== undefined) {
    askedUnion = insurerOf(mutuality);
    if (askedUnion === undefined) return refuse(INPUT_DETAIL.mutualityFormat);
    if (!isRegistrationNumber(registrationNumber)) return refuse(INPUT_DETAIL.registrationNumberFormat);
    person = population.byRegistration(mutuality, registrationNumber);
  } else {
    return refuse(INPUT_DETAIL.patientMissing);
  }
  if (!isDay(q.date)) return refuse(INPUT_DETAIL.dateFormat);
  const date = q.date;
  const platform = (kind: "date-in-future" | "unknown-patient"): Routing => ({
    to: "platform",
    answer: { ...outcome(kind), requested: date, patient: echo },
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
        ...outcome("multiple-insurers"),
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

/**
 * One insurer's answer, from the periods it holds for the person. `overlong` (the long-period
 * fault) answers a coverage end past the rule's start + 30 days.
 */
export function insurerAnswer(
  routing: Extract<Routing, { to: "insurer" }>,
  q: InsurabilityQuestion,
  seed: number,
  overlong?: "start-plus-60" | "right-end",
): InsurabilityAnswer {
  const { person, union, date } = routing;
  const own = person.periods.filter((p) => unionOf(p) === union);
  const window = coveragePeriod({ periods: own, requested: date, consultation: q.consultationDate });
  const membership =
    (own.length > 0 ? lastBeginningBy(own, date) : undefined) ??
    firstPeriod(own.length > 0 ? own : person.periods);
  if (window.outcome !== "covered") {
    // A date in the future was answered by the platform already, so this is "no right".
    return {
      ...outcome("no-right"),
      requested: date,
      patient: patientOf(person, membership),
    };
  }
  const inForce =
    lastBeginningBy(
      own.filter((p) => contains(p, date)),
      date,
    ) ?? membership;
  const answerCoverage = {
    communicated: q.consultationDate,
    start: window.start,
    end: overlong === undefined ? window.end : overlongEnd(window.start, window.rightEnd, overlong),
    ct1: window.period.ct1,
    ct2: window.period.ct2,
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
    ...outcome("insured"),
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
): { union?: Union; answer: InsurabilityAnswer } {
  const routing = route(population, q);
  if (routing.to === "platform") return { answer: routing.answer };
  return { union: routing.union, answer: insurerAnswer(routing, q, seed) };
}

function unionOf(p: SimPeriod): Union {
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
