// Privacy of the logs (security suite, item 5). A daemon logging at trace level goes through
// what touches personal data and secrets — eID session with its PIN and a wrong PIN, online and
// fallback consultations by NISS and by registration number, the pharmacist's answers with a SIS
// card's data, the pricing office, NISS in URLs, hostile bodies full of identifiers, errors — and
// its log holds none of: the NISS of the population or of the pharmacist, the PINs and keystore
// passwords, people's names, registration numbers, key material. The same search then runs over
// every line the suite's loggers wrote so far (the global teardown runs it once more over all).
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brusselsDay } from "../../src/commitment/index.js";
import { DEFAULT_INSURABILITY_REJECTION_CODES } from "../../src/purpose/index.js";
import { createPopulation, SCENARIO_NISS } from "../../src/simulator/index.js";
import { testPki } from "../support/pki.js";
import { findLeaks, testSecrets } from "../support/privacy.js";
import { startStack, type Stack } from "../support/stack.js";
import { scanSuiteLogs } from "../support/suite-logs.js";

let stack: Stack;
const today = brusselsDay(new Date());
const population = createPopulation(1, today);
const scenarios = population.scenarios;

beforeAll(async () => {
  stack = await startStack({
    session: false,
    logLevel: "trace",
    env: {
      MCN_TIMEOUT_MS: "400",
      MCN_GUARD_PATIENT_PER_DAY: "1000",
      MCN_GUARD_UNCONFIRMED_PATIENTS: "100000",
    },
  });
});
afterAll(() => stack.stop());

const as = (token: string) => ({ token });

describe("a day at the counter, logged at trace level", () => {
  it("goes through sessions, consultations, the fallback, the pricing office and errors", async () => {
    const pki = testPki();
    const pharmacist = as(stack.tokens.pharmacist);
    // Sessions: a wrong PIN, the right one, the personal certificate.
    expect(
      (await stack.request("POST", "/v1/sessions", { ...pharmacist, body: { method: "eid", pin: "9753" } }))
        .status,
    ).toBe(403);
    expect(
      (
        await stack.request("POST", "/v1/sessions", {
          ...pharmacist,
          body: { method: "eid", pin: pki.options.token.pin },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await stack.request("POST", "/v1/sessions", {
          ...pharmacist,
          body: { method: "personal-certificate" },
        })
      ).status,
    ).toBe(201);

    // Online, by NISS with separators, by registration number, unknown, deceased.
    const ordinary = SCENARIO_NISS.ordinary;
    const dotted = `${ordinary.slice(0, 2)}.${ordinary.slice(2, 4)}.${ordinary.slice(4, 6)}-${ordinary.slice(6, 9)}.${ordinary.slice(9)}`;
    for (const patient of [
      { niss: dotted },
      { niss: SCENARIO_NISS.preferential },
      {
        mutuality: scenarios.byRegistrationNumber.mutuality,
        registrationNumber: scenarios.byRegistrationNumber.registrationNumber,
      },
      { niss: SCENARIO_NISS.unknown },
      { niss: SCENARIO_NISS.deceased },
      { niss: SCENARIO_NISS.bis },
    ]) {
      const res = await stack.request("POST", "/v1/consultations", {
        body: { patient, reference: `privacy-${JSON.stringify(patient).length}` },
      });
      expect(res.status).toBeLessThan(300);
    }
    const made = await stack.request("POST", "/v1/consultations", {
      body: { patient: { niss: ordinary }, reference: "privacy-deliver" },
    });
    expect(
      (await stack.request("POST", `/v1/consultations/${made.json.id}/delivery`, { body: {} })).status,
    ).toBe(200);

    // The network goes down: a stranger needs the pharmacist, who answers with a SIS card.
    stack.demo.simulator.faults.set({ all: { kind: "down" } });
    await stack.demo.simulator.settled();
    const stranger = population.people[40]!;
    const fallback = await stack.request("POST", "/v1/consultations", {
      body: { patient: { niss: stranger.niss }, reference: "privacy-fallback" },
    });
    expect(fallback.json.outcome).toBe("needs-pharmacist");
    const period = stranger.periods.at(-1)!;
    const answered = await stack.request("POST", `/v1/consultations/${fallback.json.id}/fallback-answers`, {
      ...pharmacist,
      body: {
        answers: [
          {
            node: 6,
            answer: true,
            note: `card of ${stranger.firstName} ${stranger.lastName}`,
            data: {
              ct1: period.ct1,
              ct2: period.ct2,
              mutuality: period.mutuality,
              registrationNumber: period.registrationNumber,
            },
          },
        ],
      },
    });
    expect(answered.status).toBe(200);
    stack.demo.simulator.faults.clear();
    await stack.demo.simulator.settled();
    expect((await stack.request("POST", "/v1/recalls/run", pharmacist)).status).toBe(200);

    // Lookups with a NISS in the URL, the pricing office, the purpose report, the audit check.
    expect((await stack.request("GET", `/v1/niss/${ordinary}`)).status).toBe(200);
    expect(
      (await stack.request("GET", `/v1/commitments?niss=${ordinary}&date=${today}`)).status,
    ).toBeLessThan(500);
    const po = await stack.request("POST", "/v1/pricing-office/consultations", {
      token: stack.tokens.pricingOffice,
      body: {
        rejection: {
          invoiceReference: "INV-PRIV-1",
          reasonCode: DEFAULT_INSURABILITY_REJECTION_CODES[0],
          rejectedOn: today,
        },
        patient: { niss: ordinary },
        deliveryDate: today,
      },
    });
    expect(po.status).toBeLessThan(500);
    expect(
      (await stack.request("GET", `/v1/reports/purpose?month=${today.slice(0, 7)}`, pharmacist)).status,
    ).toBe(200);
    expect((await stack.request("GET", "/v1/audit/verify", as(stack.tokens.admin))).status).toBe(200);

    // Hostile and wrong input carrying identifiers and names.
    await stack.request("POST", "/v1/consultations", {
      body: { patient: { niss: `${ordinary}0` }, reference: "x" },
    });
    await stack.request("POST", "/v1/consultations", {
      body: {
        patient: { niss: ordinary, name: `${stranger.firstName} ${stranger.lastName}` },
        reference: "x",
      },
    });
    await stack.request("POST", "/v1/consultations", { body: `{"patient": {"niss": "${ordinary}"` });
    await stack.request("GET", `/v1/niss/${ordinary.slice(0, 10)}9`);
    await stack.request("POST", "/v1/sessions", {
      ...pharmacist,
      body: { method: "eid", pin: "12ab", password: pki.organisation.password },
    });
    await stack.request("GET", `/v1/consultations/${ordinary}`);
    await stack.request("POST", "/v1/consultations", {
      token: "nope-nope-nope-nope",
      body: { patient: { niss: ordinary } },
    });
  });

  it("and its log holds no personal data, PIN, password or key", () => {
    expect(stack.logs.length).toBeGreaterThan(20);
    expect(findLeaks(stack.logs.join(""))).toEqual([]);
  });
});

describe("the logs of the suite so far", () => {
  it("hold no personal data, PIN, password or key either", () => {
    const dir = process.env["MCN_TEST_LOG_DIR"];
    expect(dir, "set by tests/support/global-setup.ts").toBeDefined();
    expect(existsSync(dir as string)).toBe(true);
    const scan = scanSuiteLogs(dir as string);
    expect(scan.lines).toBeGreaterThan(0);
    expect(scan.leaks).toEqual([]);
  });
});

describe("the search itself finds what it looks for", () => {
  const secrets = testSecrets();
  const person = population.people[100]!;
  const line = (extra: object) =>
    JSON.stringify({ level: 30, time: 1795339855034, reqId: "req-2468", ms: 2468, ...extra });

  it("stays quiet on an ordinary line (timestamps, ids, durations, masked values)", () => {
    expect(
      findLeaks(
        line({
          msg: "request",
          niss: "[NISS]",
          id: "3f0c2468-7c1b-4d2e-9a55-0b6f1e2d3c4b",
          route: "/v1/niss/:value",
        }),
        secrets,
      ),
    ).toEqual([]);
  });

  it.each([
    ["niss", { msg: `asked for ${person.niss}` }],
    [
      "niss",
      { msg: "holder", ssin: testPki().holder.ssin.replace(/^(..)(..)(..)(...)(..)$/, "$1.$2.$3-$4.$5") },
    ],
    ["pin", { msg: "login", pin: testPki().options.token.pin }],
    ["pin", { msg: `PIN ${testPki().options.token.pin} refused` }],
    ["password", { keystore: testPki().personal.password }],
    ["name", { msg: `${person.firstName} ${person.lastName}` }],
    ["name", { user: testPki().holder.name }],
    ["registration-number", { data: { registrationNumber: person.periods[0]!.registrationNumber } }],
    ["key-material", { cert: "-----BEGIN PRIVATE KEY-----" }],
    ["key-material", { assertion: "MII" + "A".repeat(300) }],
  ])("finds a %s", (kind, extra) => {
    expect(findLeaks(line(extra), secrets).map((l) => l.kind)).toContain(kind);
    // The report names the line, never the secret itself.
    for (const leak of findLeaks(line(extra), secrets)) expect(leak.excerpt).toContain("«…»");
  });
});
