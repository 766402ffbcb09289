// The simulator's synthetic insured population (SPEC §3): deterministic from a seed (same seed,
// same people), the named scenarios of scenarios.ts plus N ordinary people spread over every
// mutuality family of SPEC §1.1 (1xx…6xx, 750, 9xx, 999). Dates are relative to `today`.
import { addDays, compareDays, syntheticNiss } from "./oracle/index.js";
import type { Day } from "./oracle/index.js";
import type { Person, SimPeriod } from "./person.js";
import { seededRandom } from "./random.js";
import type { Random } from "./random.js";
import { buildScenarios, SCENARIO_NISS } from "./scenarios.js";
import type { Scenarios } from "./scenarios.js";

export const DEFAULT_POPULATION_SIZE = 1000;

export interface Population {
  readonly seed: number;
  readonly today: Day;
  /** Everyone the insurers know: the scenario people first, then the generated ones. */
  readonly people: readonly Person[];
  readonly scenarios: Scenarios;
  byNiss(niss: string): Person | undefined;
  /** By the membership of any of the person's periods; the registration number exactly as stored. */
  byRegistration(mutuality: string, registrationNumber: string): Person | undefined;
}

// One entry per family of SPEC §1.1; the generated people take them in turn.
const FAMILIES: ReadonlyArray<(r: Random) => string> = [
  (r) => `1${pad2(r.int(1, 99))}`,
  (r) => `2${pad2(r.int(1, 99))}`,
  (r) => `3${pad2(r.int(1, 99))}`,
  (r) => `4${pad2(r.int(1, 99))}`,
  (r) => `5${pad2(r.int(1, 99))}`,
  (r) => `6${pad2(r.int(1, 99))}`,
  () => "750",
  (r) => `9${pad2(r.int(1, 98))}`,
  () => "999",
];

// CT1/CT2 pairs from the valid code lists (domain-rules §4), weighted towards the usual ones.
const ENTITLEMENTS: ReadonlyArray<readonly [readonly [string, string], number]> = [
  [["110", "110"], 50],
  [["111", "111"], 10],
  [["130", "130"], 10],
  [["131", "131"], 8],
  [["120", "120"], 4],
  [["121", "121"], 3],
  [["140", "140"], 2],
  [["150", "150"], 2],
  [["151", "151"], 1],
  [["410", "100"], 3],
  [["411", "111"], 1],
];

const MALE = [
  "Lucas",
  "Noah",
  "Louis",
  "Arthur",
  "Jules",
  "Adam",
  "Liam",
  "Victor",
  "Mohamed",
  "Finn",
  "Luc",
  "Pieter",
  "Marc",
  "Willem",
  "Hugo",
];
const FEMALE = [
  "Emma",
  "Olivia",
  "Louise",
  "Mila",
  "Alice",
  "Juliette",
  "Lina",
  "Elena",
  "Fatima",
  "Anna",
  "Marie",
  "Sofie",
  "Lotte",
  "Inès",
  "Nora",
];
const LAST = [
  "Peeters",
  "Janssens",
  "Maes",
  "Jacobs",
  "Mertens",
  "Willems",
  "Claes",
  "Goossens",
  "Wouters",
  "De Smet",
  "Dubois",
  "Lambert",
  "Dupont",
  "Martin",
  "Simon",
  "Laurent",
  "Leclercq",
  "Lemaire",
  "Van den Broeck",
  "Vermeulen",
  "El Amrani",
  "Benali",
  "Nowak",
  "Rossi",
  "Silva",
  "Van Damme",
  "De Backer",
  "Michiels",
  "Hermans",
  "Renard",
];

export function createPopulation(seed: number, today: Day, options: { size?: number } = {}): Population {
  const size = options.size ?? DEFAULT_POPULATION_SIZE;
  const scenarios = buildScenarios(today);
  const random = seededRandom(seed);
  const taken = new Set<string>(Object.values(SCENARIO_NISS));
  const people: Person[] = Object.values(scenarios).flatMap((s) =>
    s.person === undefined ? [] : [s.person],
  );
  for (let i = 0; i < size; i++) {
    people.push(generatePerson(random, today, FAMILIES[i % FAMILIES.length] ?? FAMILIES[0]!, taken));
  }

  const niss = new Map<string, Person>();
  const registration = new Map<string, Person>();
  for (const person of people) {
    if (person.niss !== undefined) niss.set(person.niss, person);
    for (const p of person.periods) registration.set(`${p.mutuality}|${p.registrationNumber}`, person);
  }
  return {
    seed,
    today,
    people,
    scenarios,
    byNiss: (n) => niss.get(n),
    byRegistration: (mutuality, registrationNumber) => registration.get(`${mutuality}|${registrationNumber}`),
  };
}

const EARLIEST_BIRTH = "1925-01-01";
const BIRTH_SPAN_DAYS = 34_700; // to late 2019

function generatePerson(r: Random, today: Day, family: (r: Random) => string, taken: Set<string>): Person {
  const sex = r.next() < 0.5 ? "male" : "female";
  let birthDate = addDays(EARLIEST_BIRTH, r.int(0, BIRTH_SPAN_DAYS));
  // With a `today` in the past (tests on the annex's 2011 examples) nobody is born after it.
  if (compareDays(birthDate, today) >= 0) birthDate = addDays(birthDate, -36_525);
  const bis = r.next() < 0.03 ? ("sex-known" as const) : undefined;
  let niss: string;
  do {
    // Odd sequence = male, even = female (SPEC §1.1); 001–997 / 002–998 are the issued ranges.
    const sequence = 2 * r.int(0, 498) + (sex === "male" ? 1 : 2);
    niss = syntheticNiss(birthDate, sequence, bis);
  } while (taken.has(niss));
  taken.add(niss);

  const mutuality = family(r);
  const registrationNumber = registrationNumberFor(r, mutuality);
  const [ct1, ct2] = r.weighted(ENTITLEMENTS);
  const p = (ct: readonly [string, string], begin: Day, end: Day | null): SimPeriod => ({
    ct1: ct[0],
    ct2: ct[1],
    begin,
    end,
    mutuality,
    registrationNumber,
  });
  const notBeforeBirth = (d: Day): Day => (compareDays(d, birthDate) < 0 ? birthDate : d);

  let periods: SimPeriod[];
  const shape = r.next();
  if (shape < 0.7) {
    periods = [p([ct1, ct2], notBeforeBirth(addDays(today, -r.int(30, 3000))), null)];
  } else if (shape < 0.85) {
    // Calendar-year periods with the same status: they merge across New Year (annex ex. 6).
    const year = Number(today.slice(0, 4));
    periods = [
      p([ct1, ct2], notBeforeBirth(`${year - 1}-01-01`), `${year - 1}-12-31`),
      p([ct1, ct2], notBeforeBirth(`${year}-01-01`), `${year}-12-31`),
      p([ct1, ct2], `${year + 1}-01-01`, `${year + 1}-12-31`),
    ];
  } else if (shape < 0.95) {
    // Becomes preferential (third digit 1) some day around now.
    const change = addDays(today, r.int(-200, 40));
    const preferential = [ct1.slice(0, 2) + "1", ct2.slice(0, 2) + "1"] as const;
    periods = [
      p([ct1, ct2], notBeforeBirth(addDays(change, -r.int(100, 2000))), addDays(change, -1)),
      p(preferential, change, null),
    ];
  } else {
    const end = addDays(today, -r.int(1, 300));
    periods = [p([ct1, ct2], notBeforeBirth(addDays(end, -r.int(100, 2000))), end)];
  }
  // Periods that would begin after their end (a birth late in the window) are dropped.
  periods = periods.filter((q) => q.end === null || compareDays(q.begin, q.end) <= 0);

  return {
    niss,
    firstName: r.pick(sex === "male" ? MALE : FEMALE),
    lastName: r.pick(LAST),
    birthDate,
    sex,
    periods,
  };
}

// Each insurer has its own layout (domain-rules §3.2): digits only, or with spaces and a letter.
function registrationNumberFor(r: Random, mutuality: string): string {
  const digits = (n: number): string => Array.from({ length: n }, () => String(r.int(0, 9))).join("");
  switch (r.int(0, 2)) {
    case 0:
      return digits(13);
    case 1:
      return `${digits(6)} ${digits(3)}${String.fromCharCode(65 + r.int(0, 25))}${digits(2)}`;
    default:
      return `${mutuality} ${digits(9)}`;
  }
}

const pad2 = (n: number): string => String(n).padStart(2, "0");
