// The fault modes the daemon's tests need (issues 13, 14), acted out over real loopback sockets
// by a strict simulator: every answer below also passed the response XSD, or the simulator would
// have answered SOA-00001 instead.
import { request as httpRequest, Agent } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { testPki } from "../../tests/support/pki.js";
import { parseInsurabilityResponse } from "../ehealth/insurability/index.js";
import type {
  InsurabilityRequestInput,
  ParsedResponse,
  PatientIdentification,
} from "../ehealth/insurability/index.js";
import { requestInput, signedRequest, testAssertion } from "./__fixtures__/session.js";
import type { FaultPlan } from "./faults.js";
import { addDays } from "./oracle/index.js";
import type { ScenarioName } from "./scenarios.js";
import { startSimulator } from "./server.js";
import type { Simulator } from "./server.js";

const pki = testPki();
const dataDir = mkdtempSync(join(tmpdir(), "mcn-sim-modes-"));
let sim: Simulator;
let assertion: string;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

beforeAll(async () => {
  sim = await startSimulator({ port: 0, dataDir, seed: 9, strict: true, pki, populationSize: 20 });
  assertion = await testAssertion(pki, { now: new Date() });
});

afterEach(async () => {
  sim.faults.clear();
  await sim.settled();
});

afterAll(async () => {
  await sim.stop();
  agent.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

type Outcome = { status: number; body: string } | { error: string };

function send(method: string, path: string, body = "", timeoutMs = 5000): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = httpRequest(`${sim.url}${path}`, { method, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end(body);
  });
}

const today = (): string => sim.population.today;
const nissOf = (name: ScenarioName): string => sim.population.scenarios[name].niss ?? "";

async function ask(
  patient: PatientIdentification,
  opts: { date?: string; timeoutMs?: number; overrides?: Partial<InsurabilityRequestInput> } = {},
): Promise<{ outcome: Outcome; input: InsurabilityRequestInput }> {
  const input = requestInput(pki, patient, opts.date ?? today(), opts.overrides);
  const body = await signedRequest(pki, input, { now: new Date(), assertion });
  return { outcome: await send("POST", "/Insurability/v2", body, opts.timeoutMs), input };
}

const consult = async (name: ScenarioName, date?: string): Promise<ParsedResponse> =>
  parsed((await ask({ niss: nissOf(name) }, date === undefined ? {} : { date })).outcome);

function parsed(outcome: Outcome): ParsedResponse {
  if ("error" in outcome) throw new Error(`transport error ${outcome.error}`);
  return parseInsurabilityResponse(outcome.body);
}

function answerOf(response: ParsedResponse) {
  if (response.type !== "answer") throw new Error(`expected an answer, got ${JSON.stringify(response)}`);
  return response.answer;
}

const setFaults = async (plan: FaultPlan): Promise<void> => {
  const reply = await send("PUT", "/_control/faults", JSON.stringify(plan));
  expect(reply).toMatchObject({ status: 200 });
  await sim.settled();
};

describe("unknown-code", () => {
  it.each([
    ["success", { major: "01", minor: "01", detail: "40000" }, true],
    ["no-right", { major: "02", minor: "04", detail: "40040" }, false],
    ["input", { major: "03", minor: "03", detail: "00099" }, false],
    ["platform", { major: "09", minor: "02", detail: "00000" }, false],
    ["other", { major: "05", minor: "01", detail: "00000" }, false],
  ] as const)("family %s answers %o, Coverage %s", async (family, code, coverage) => {
    await setFaults({ all: { kind: "unknown-code", family } });
    const answer = answerOf(await consult("ordinary"));
    expect(answer.returnCode).toEqual(code);
    expect(answer.coverage !== undefined).toBe(coverage);
    expect(answer.verification !== undefined).toBe(coverage);
  });

  it("forces Coverage present or absent, and takes an explicit code", async () => {
    await setFaults({ all: { kind: "unknown-code", family: "success", coverage: false } });
    expect(answerOf(await consult("ordinary"))).toMatchObject({ returnCode: { major: "01", minor: "01" } });
    expect(answerOf(await consult("ordinary")).coverage).toBeUndefined();

    // A patient without right at the date still gets a Coverage when it is forced.
    await setFaults({
      all: { kind: "unknown-code", family: "no-right", coverage: true, returnCode: "02/07/40077" },
    });
    const forced = answerOf(await consult("noRight"));
    expect(forced.returnCode).toEqual({ major: "02", minor: "07", detail: "40077" });
    expect(forced.coverage).toMatchObject({ start: today(), end: addDays(today(), 30), ct1: "110" });
    expect(forced.verification?.paymentApproval).toHaveLength(32);
  });

  it("only for the patients and mutualities named; the others answer as usual", async () => {
    await setFaults({ all: { kind: "unknown-code", family: "no-right", patients: [nissOf("ordinary")] } });
    expect(answerOf(await consult("ordinary")).returnCode.minor).toBe("04");
    expect(answerOf(await consult("preferential")).returnCode).toEqual({
      major: "01",
      minor: "00",
      detail: "00000",
    });

    await setFaults({ all: { kind: "unknown-code", family: "input", mutualities: ["311"] } });
    expect(answerOf(await consult("preferential")).returnCode.major).toBe("03");
    expect(answerOf(await consult("ordinary")).returnCode.major).toBe("01");
  });
});

describe("long-period", () => {
  it("start-plus-60 (the default): a coverage past the rule's start + 30 days", async () => {
    expect(answerOf(await consult("ordinary")).coverage?.end).toBe(addDays(today(), 30));
    await setFaults({ all: { kind: "long-period" } });
    const answer = answerOf(await consult("ordinary"));
    expect(answer.coverage).toMatchObject({ start: today(), end: addDays(today(), 60) });
    expect(answer.returnCode).toEqual({ major: "01", minor: "00", detail: "00000" });
  });

  it("right-end: the end of the right, through a following period of the same status", async () => {
    await setFaults({ insurers: { "500": { kind: "long-period", period: "right-end" } } });
    // consecutiveSameStatus: two periods with the same CT, the second ending at today + 200.
    expect(answerOf(await consult("consecutiveSameStatus")).coverage?.end).toBe(addDays(today(), 200));
    // Another insurer is not concerned.
    expect(answerOf(await consult("ordinary")).coverage?.end).toBe(addDays(today(), 30));
  });

  it("leaves a patient without right without coverage", async () => {
    await setFaults({ all: { kind: "long-period" } });
    const answer = answerOf(await consult("noRight"));
    expect(answer.returnCode.major).toBe("02");
    expect(answer.coverage).toBeUndefined();
  });
});

describe("mismatched-echo", () => {
  it("reference: another RecordCommonOutput/Reference than the one asked", async () => {
    await setFaults({ all: { kind: "mismatched-echo", echo: "reference" } });
    const { outcome, input } = await ask({ niss: nissOf("ordinary") });
    const answer = answerOf(parsed(outcome));
    expect(answer.reference).toBeDefined();
    expect(answer.reference).not.toBe(input.reference);
  });

  it("requested: another date than the one asked", async () => {
    await setFaults({ all: { kind: "mismatched-echo", echo: "requested" } });
    expect(answerOf(await consult("ordinary")).requested).toBe(addDays(today(), -1));
  });

  it("ssin: another CareReceiver, with a valid NISS", async () => {
    await setFaults({ all: { kind: "mismatched-echo", echo: "ssin", patients: [nissOf("ordinary")] } });
    const answer = answerOf(await consult("ordinary"));
    expect(answer.patient.niss).toMatch(/^\d{11}$/);
    expect(answer.patient.niss).not.toBe(nissOf("ordinary"));
    expect(answerOf(await consult("preferential")).patient.niss).toBe(nissOf("preferential"));
  });
});

describe("insurer silence", () => {
  it("one insurer silent: its patients get the platform's 'insurer did not answer', the others answer", async () => {
    await setFaults({ insurers: { "300": { kind: "insurer-silent" } } });
    expect(answerOf(await consult("preferential"))).toMatchObject({
      returnCode: { major: "09", minor: "01" },
    });
    expect(answerOf(await consult("preferential")).coverage).toBeUndefined();
    for (const other of ["ordinary", "ctChangeInWindow", "consecutiveSameStatus"] as const)
      expect(answerOf(await consult(other)).returnCode.major).toBe("01");
  });

  it("by mutualities, and as a timeout", async () => {
    await setFaults({ all: { kind: "insurer-silent", mutualities: ["403"] } });
    expect(answerOf(await consult("ctChangeInWindow")).returnCode.major).toBe("09");
    expect(answerOf(await consult("ordinary")).returnCode.major).toBe("01");

    await setFaults({ insurers: { "400": { kind: "insurer-silent", silence: "timeout" } } });
    const silent = await ask({ niss: nissOf("ctChangeInWindow") }, { timeoutMs: 300 });
    expect(silent.outcome).toEqual({ error: "TIMEOUT" });
    expect(answerOf(await consult("ordinary")).returnCode.major).toBe("01");
  });
});

describe("refuse and per-patient faults", () => {
  it("refuses one patient's request with a SOAP fault, SOA-01002 by default or SOA-03007", async () => {
    await setFaults({ all: { kind: "refuse", patients: [nissOf("ordinary")] } });
    expect(await consult("ordinary")).toMatchObject({ type: "fault", fault: { code: "SOA-01002" } });
    expect(answerOf(await consult("preferential")).returnCode.major).toBe("01");

    await setFaults({ all: { kind: "refuse", code: "SOA-03007", patients: [nissOf("ordinary")] } });
    const { outcome } = await ask({ niss: nissOf("ordinary") });
    expect(outcome).toMatchObject({ status: 500 });
    expect(parsed(outcome)).toMatchObject({ type: "fault", fault: { code: "SOA-03007" } });
  });

  it("a sticky failing patient among others: a rule list, first match wins", async () => {
    await setFaults({
      all: [
        { kind: "system-error", patients: [nissOf("ordinary")] },
        { kind: "unknown-code", family: "other", patients: [nissOf("preferential")] },
      ],
    });
    for (let i = 0; i < 3; i++)
      expect(await consult("ordinary")).toMatchObject({ type: "fault", fault: { code: "SOA-02001" } });
    expect(answerOf(await consult("preferential")).returnCode.major).toBe("05");
    expect(answerOf(await consult("ctChangeInWindow")).returnCode.major).toBe("01");
  });

  it("refuses plans that do not hold together, with the reason", async () => {
    const bad = [
      { all: { kind: "refuse", code: "SOA-02001" } },
      { all: { kind: "system-error", code: "SOA-03007" } },
      { all: { kind: "unknown-code", family: "weird" } },
      { all: { kind: "unknown-code", returnCode: "1/2/3" } },
      { all: { kind: "long-period", echo: "ssin" } },
      { all: { kind: "mismatched-echo", echo: "name" } },
      { all: { kind: "down", patients: ["123"] } },
      { all: { kind: "expired-token", patients: [nissOf("ordinary")] } },
      { all: [] },
      { sts: { kind: "down", mutualities: ["100"] } },
    ];
    for (const plan of bad) {
      const reply = await send("PUT", "/_control/faults", JSON.stringify(plan));
      expect(reply, JSON.stringify(plan)).toMatchObject({ status: 400 });
      expect("body" in reply && JSON.parse(reply.body).reason, JSON.stringify(plan)).toEqual(
        expect.any(String),
      );
    }
    expect(sim.faults.plan()).toEqual({});
  });
});
