// What must never appear in a log line (SPEC §1.5, STYLE §8): the NISS of the synthetic
// population and of the pharmacist, the test PINs and passwords, people's names, registration
// numbers, key material. `findLeaks` searches log text for all of them; the global teardown runs
// it over every line the suite's loggers wrote, tests/e2e/privacy.test.ts over a scenario's.
import { brusselsDay } from "../../src/commitment/index.js";
import { parseNiss } from "../../src/identifiers/index.js";
import { SIMULATOR_LICENCE, createPopulation, SCENARIO_NISS } from "../../src/simulator/index.js";
import { testPki } from "./pki.js";

export type LeakKind = "niss" | "pin" | "password" | "name" | "registration-number" | "key-material";

export interface Leak {
  kind: LeakKind;
  /** 1-based line of the searched text. */
  line: number;
  /** The line with the finding replaced by «…», never the secret itself. */
  excerpt: string;
}

export interface Secrets {
  niss: ReadonlySet<string>;
  /** Short PINs: only found as a quoted value or right after the word "pin". */
  pins: readonly string[];
  /** Found anywhere (long enough not to occur by chance). */
  passwords: readonly string[];
  names: readonly string[];
  registrationNumbers: ReadonlySet<string>;
  /** Base64 openings of the test private keys. */
  keyFragments: readonly string[];
}

/** The population seeds the tests run the simulator with. */
const SEEDS = [1, 5];

let cached: Secrets | undefined;

export function testSecrets(today: string = brusselsDay(new Date())): Secrets {
  if (cached) return cached;
  const pki = testPki();
  const niss = new Set<string>([...Object.values(SCENARIO_NISS), pki.holder.ssin, pki.personal.ssin]);
  const names = new Set<string>([pki.options.holder.givenName, pki.options.holder.surname, pki.holder.name]);
  const registrationNumbers = new Set<string>();
  for (const seed of SEEDS) {
    for (const person of createPopulation(seed, today).people) {
      if (person.niss) niss.add(person.niss);
      names.add(person.firstName);
      names.add(person.lastName);
      names.add(`${person.firstName} ${person.lastName}`);
      for (const p of person.periods) registrationNumbers.add(p.registrationNumber);
    }
  }
  const keyFragments = [pki.ca.keyPem, pki.sts.keyPem, pki.foreignCa.keyPem].map((pem) =>
    pem
      .replace(/-----[A-Z ]+-----/g, "")
      .replace(/\s+/g, "")
      .slice(0, 48),
  );
  cached = {
    niss,
    pins: [pki.options.token.pin],
    passwords: [
      pki.options.token.soPin,
      pki.organisation.password,
      pki.personal.password,
      SIMULATOR_LICENCE.password,
    ],
    names: [...names].filter((n) => n.length >= 3),
    registrationNumbers,
    keyFragments,
  };
  return cached;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const LETTER = "\\p{L}";

/** Every leak in `text` (one finding per kind and line). */
export function findLeaks(text: string, secrets: Secrets = testSecrets()): Leak[] {
  const names = new RegExp(
    `(?<![${LETTER}])(?:${[...secrets.names]
      .sort((a, b) => b.length - a.length)
      .map(escape)
      .join("|")})(?![${LETTER}])`,
    "u",
  );
  const pins = secrets.pins.map(
    (pin) => new RegExp(`"${escape(pin)}"|\\bpin[^0-9A-Za-z]{0,4}${escape(pin)}(?![0-9])`, "i"),
  );
  const longSecrets = [...secrets.passwords, ...secrets.keyFragments];
  const leaks: Leak[] = [];
  text.split("\n").forEach((content, index) => {
    const found = new Map<LeakKind, string>();
    const note = (kind: LeakKind, what: string): void => {
      if (!found.has(kind)) found.set(kind, what);
    };
    // Eleven digits, bare or written YY.MM.DD-SSS.CC.
    for (const m of content.matchAll(
      /(?<![0-9])[0-9]{2}[ ./-]?[0-9]{2}[ ./-]?[0-9]{2}[ ./-]?[0-9]{3}[ ./-]?[0-9]{2}(?![0-9])/g,
    )) {
      const digits = m[0].replace(/[^0-9]/g, "");
      if (secrets.niss.has(digits) || parseNiss(digits).ok) note("niss", m[0]);
    }
    for (const m of content.matchAll(/[0-9A-Z][0-9A-Z ]{6,16}[0-9A-Z]/g)) {
      for (const candidate of substringsOf(m[0])) {
        if (secrets.registrationNumbers.has(candidate)) note("registration-number", candidate);
      }
    }
    for (const pin of pins) {
      const m = pin.exec(content);
      if (m) note("pin", m[0]);
    }
    for (const secret of longSecrets) if (content.includes(secret)) note("password", secret);
    const name = names.exec(content);
    if (name) note("name", name[0]);
    const key = /-----BEGIN [A-Z ]+-----|PRIVATE KEY|[A-Za-z0-9+/]{200,}={0,2}/.exec(content);
    if (key) note("key-material", key[0]);
    for (const [kind, what] of found) {
      leaks.push({ kind, line: index + 1, excerpt: content.split(what).join("«…»").slice(0, 300) });
    }
  });
  return leaks;
}

// Registration numbers are 8 to 18 characters of digits, capitals and spaces: every substring
// bounded by word characters is a candidate (a run may hold one next to other words).
function substringsOf(run: string): string[] {
  const out: string[] = [];
  const starts = [0, ...[...run.matchAll(/ /g)].map((m) => (m.index ?? 0) + 1)];
  const ends = [...[...run.matchAll(/ /g)].map((m) => m.index ?? 0), run.length];
  for (const s of starts) for (const e of ends) if (e - s >= 8) out.push(run.slice(s, e));
  return out;
}
