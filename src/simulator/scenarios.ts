// The named patients that tests and demo mode use (SPEC §3). Their NISS are fixed whatever the
// seed, so that a demo script or a README can quote them; their periods move with `today`, so
// that every scenario stays current.
import { addDays, syntheticNiss } from "./oracle/index.js";
import type { Day } from "./oracle/index.js";
import type { Person, SimPeriod } from "./person.js";

export type ScenarioName =
  | "ordinary"
  | "preferential"
  | "ctChangeInWindow"
  | "consecutiveSameStatus"
  | "transfer"
  | "endOfRights"
  | "noRight"
  | "deceased"
  | "unknown"
  | "bis"
  | "bisSexUnknown"
  | "byRegistrationNumber"
  | "regimeMismatch"
  | "multipleInsurers";

export interface Scenario {
  name: ScenarioName;
  description: string;
  /** How to ask for this patient: by NISS, or by mutuality + registration number. */
  niss?: string;
  mutuality?: string;
  registrationNumber?: string;
  /** The person behind it; absent for "unknown". */
  person?: Person;
}

export type Scenarios = Readonly<Record<ScenarioName, Scenario>>;

/** The NISS that no generated person may take. */
export const SCENARIO_NISS: Readonly<Record<Exclude<ScenarioName, "byRegistrationNumber">, string>> =
  Object.freeze({
    ordinary: syntheticNiss("1975-06-15", 123),
    preferential: syntheticNiss("1948-03-02", 46),
    ctChangeInWindow: syntheticNiss("1962-11-30", 201),
    consecutiveSameStatus: syntheticNiss("1990-01-20", 84),
    transfer: syntheticNiss("1983-07-07", 155),
    endOfRights: syntheticNiss("2001-09-09", 12),
    noRight: syntheticNiss("1995-08-08", 17),
    deceased: syntheticNiss("1931-12-24", 7),
    unknown: syntheticNiss("1969-04-01", 333),
    bis: syntheticNiss("1985-02-14", 61, "sex-known"),
    bisSexUnknown: syntheticNiss("1979-00-00", 404, "sex-unknown"),
    regimeMismatch: syntheticNiss("1955-05-05", 92),
    multipleInsurers: syntheticNiss("1970-10-10", 223),
  });

const period = (
  ct: string,
  mutuality: string,
  registrationNumber: string,
  begin: Day,
  end: Day | null,
  extra?: Partial<SimPeriod>,
): SimPeriod => ({ ct1: ct, ct2: ct, begin, end, mutuality, registrationNumber, ...extra });

export function buildScenarios(today: Day): Scenarios {
  const t = (n: number): Day => addDays(today, n);
  const n = SCENARIO_NISS;
  const person = (niss: string | undefined, p: Omit<Person, "niss">): Person =>
    niss === undefined ? p : { niss, ...p };
  const withNiss = (
    name: Exclude<ScenarioName, "byRegistrationNumber" | "unknown">,
    description: string,
    p: Omit<Person, "niss">,
  ): Scenario => ({
    name,
    description,
    niss: n[name],
    person: person(n[name], p),
  });
  const newbornRegistration = "0001 13 NB7X";

  return Object.freeze({
    ordinary: withNiss("ordinary", "110/110, open-ended right: coverage = delivery date + 30 days", {
      firstName: "Lucas",
      lastName: "Peeters",
      birthDate: "1975-06-15",
      sex: "male",
      periods: [period("110", "121", "1975061512301", t(-400), null)],
    }),
    preferential: withNiss("preferential", "131/131 (BIM), ThirdPartyPayerRegime elevated", {
      firstName: "Maria",
      lastName: "Janssens",
      birthDate: "1948-03-02",
      sex: "female",
      periods: [period("131", "311", "31 0048 302A", t(-400), null)],
    }),
    ctChangeInWindow: withNiss(
      "ctChangeInWindow",
      "110/110 until today+9, then 111/111: coverage ends at today+9",
      {
        firstName: "Jan",
        lastName: "Maes",
        birthDate: "1962-11-30",
        sex: "male",
        periods: [
          period("110", "403", "4030062113020", t(-300), t(9)),
          period("111", "403", "4030062113020", t(10), null),
        ],
      },
    ),
    consecutiveSameStatus: withNiss(
      "consecutiveSameStatus",
      "two consecutive 120/120 periods, merged: full 30 days",
      {
        firstName: "Emma",
        lastName: "Jacobs",
        birthDate: "1990-01-20",
        sex: "female",
        periods: [
          period("120", "509", "509 900120 08", t(-200), t(5)),
          period("120", "509", "509 900120 08", t(6), t(200)),
        ],
      },
    ),
    transfer: withNiss("transfer", "226 (neutral) until today-11, then 319 (socialist) from today-10", {
      firstName: "Thomas",
      lastName: "Dubois",
      birthDate: "1983-07-07",
      sex: "male",
      periods: [
        period("110", "226", "226-083070715", t(-300), t(-11)),
        period("110", "319", "0001995151258", t(-10), null),
      ],
    }),
    endOfRights: withNiss("endOfRights", "right ends at today+4: coverage ends there", {
      firstName: "Chloé",
      lastName: "Lambert",
      birthDate: "2001-09-09",
      sex: "female",
      periods: [period("110", "601", "601 0109 0912", t(-300), t(4))],
    }),
    noRight: withNiss("noRight", "right ended at today-60: no right today", {
      firstName: "Noah",
      lastName: "Claes",
      birthDate: "1995-08-08",
      sex: "male",
      periods: [period("110", "228", "2289508080171", t(-400), t(-60))],
    }),
    deceased: withNiss("deceased", "died today-20 (rights end that day)", {
      firstName: "Georges",
      lastName: "Wouters",
      birthDate: "1931-12-24",
      sex: "male",
      deceased: t(-20),
      periods: [period("130", "910", "9103112240071", t(-800), t(-20))],
    }),
    unknown: { name: "unknown", description: "a valid NISS that no insurer knows", niss: n.unknown },
    bis: withNiss("bis", "BIS number (month +40, sex known), seafarers' fund 750", {
      firstName: "Ahmed",
      lastName: "Benali",
      birthDate: "1985-02-14",
      sex: "male",
      periods: [period("110", "750", "750 8502 1461", t(-100), null)],
    }),
    bisSexUnknown: withNiss(
      "bisSexUnknown",
      "BIS number (month +20, sex and birth date unknown), OSSOM 999",
      {
        firstName: "Ana",
        lastName: "Silva",
        periods: [period("100", "999", "999 79 00 404", t(-100), null)],
      },
    ),
    byRegistrationNumber: {
      name: "byRegistrationNumber",
      description: "newborn without NISS, asked by mutuality 132 + registration number (spaces and letters)",
      mutuality: "132",
      registrationNumber: newbornRegistration,
      person: {
        firstName: "Lina",
        lastName: "Mertens",
        birthDate: t(-20),
        sex: "female",
        periods: [period("110", "132", newbornRegistration, t(-20), null)],
      },
    },
    regimeMismatch: withNiss(
      "regimeMismatch",
      "110/110 but ThirdPartyPayerRegime elevated (REGIME_CT_MISMATCH)",
      {
        firstName: "Sofie",
        lastName: "Willems",
        birthDate: "1955-05-05",
        sex: "female",
        periods: [period("110", "135", "1355505050922", t(-400), null, { regime: "elevated" })],
      },
    ),
    multipleInsurers: withNiss("multipleInsurers", "claimed by 117 (Christian) and 417 (liberal) at once", {
      firstName: "Marc",
      lastName: "Goossens",
      birthDate: "1970-10-10",
      sex: "male",
      periods: [
        period("110", "117", "1177010102231", t(-100), null),
        period("110", "417", "417 701010 23", t(-30), null),
      ],
    }),
  });
}
