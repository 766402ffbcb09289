// GET/DELETE /_control/stats and the connection-level probe (HEAD/GET /Insurability/v2), over
// loopback: what the daemon's e2e suite reads to assert what reached MyCareNet and that every
// message it posted validated against the XSD.
import { request as httpRequest, Agent } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { testPki } from "../../tests/support/pki.js";
import { soapEnvelope } from "../ehealth/xml/soap.js";
import { titularTerms } from "../ehealth/sts/__fixtures__/titular.js";
import { buildStsRequest, signStsRequest } from "../ehealth/sts/request.js";
import { credentials } from "../ehealth/wssec/__fixtures__/credentials.js";
import type { PatientIdentification } from "../ehealth/insurability/index.js";
import { requestInput, signedRequest, testAssertion } from "./__fixtures__/session.js";
import type { ScenarioName } from "./scenarios.js";
import { startSimulator } from "./server.js";
import type { Simulator } from "./server.js";
import type { StatsSnapshot } from "./stats.js";
import { STS_PATH, WS_TRUST_STS_PATH } from "./sts-mount.js";

const pki = testPki();
const dataDir = mkdtempSync(join(tmpdir(), "mcn-sim-stats-"));
let strict: Simulator;
let lenient: Simulator;
let assertion: string;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

beforeAll(async () => {
  const common = { port: 0, dataDir, seed: 3, pki, populationSize: 10 };
  strict = await startSimulator({ ...common, strict: true });
  lenient = await startSimulator({ ...common, strict: false, checkXsd: true });
  assertion = await testAssertion(pki, { now: new Date() });
});

afterAll(async () => {
  await Promise.all([strict.stop(), lenient.stop()]);
  agent.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

type Reply = { status: number; body: string } | { error: string };

function send(sim: Simulator, method: string, path: string, body = ""): Promise<Reply> {
  return new Promise((resolve) => {
    const req = httpRequest(`${sim.url}${path}`, { method, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
    });
    req.setTimeout(3000, () => req.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end(body);
  });
}

async function stats(sim: Simulator): Promise<StatsSnapshot> {
  const reply = await send(sim, "GET", "/_control/stats");
  if ("error" in reply) throw new Error(reply.error);
  return JSON.parse(reply.body) as StatsSnapshot;
}

async function ask(sim: Simulator, patient: PatientIdentification): Promise<Reply> {
  const body = await signedRequest(pki, requestInput(pki, patient, sim.population.today), {
    now: new Date(),
    assertion,
  });
  return send(sim, "POST", "/Insurability/v2", body);
}
const niss = (sim: Simulator, name: ScenarioName): string => sim.population.scenarios[name].niss ?? "";

beforeEach(async () => {
  for (const sim of [strict, lenient]) {
    sim.faults.clear();
    await sim.settled();
    expect(await send(sim, "DELETE", "/_control/stats")).toMatchObject({ status: 200 });
  }
});

describe("stats", () => {
  it("counts consultations by insurer, mutuality and outcome, and the platform's own answers", async () => {
    await ask(strict, { niss: niss(strict, "ordinary") });
    await ask(strict, { niss: niss(strict, "ordinary") });
    await ask(strict, { niss: niss(strict, "preferential") });
    await ask(strict, { niss: niss(strict, "unknown") });
    strict.faults.set({ insurers: { "400": { kind: "insurer-silent" } } });
    await ask(strict, { niss: niss(strict, "ctChangeInWindow") });
    const s = await stats(strict);
    expect(s).toMatchObject({
      consultations: 5,
      probes: 0,
      platformAnswers: 2,
      byInsurer: { "100": 2, "300": 1, "400": 1 },
      byMutuality: { "121": 2, "311": 1, "403": 1 },
      outcomes: { insured: 3, "unknown-patient": 1, "insurer-silent": 1 },
      invalidMessages: { total: 0, "not-xml": 0, "not-soap": 0, "empty-body": 0, xsd: 0 },
      xsdChecked: 5,
    });
    expect(Object.keys(s.byInsurer)).toHaveLength(3);
  });

  it("counts every invalid message by reason: not XML, not SOAP, an empty Body, the XSD broken", async () => {
    const garbage = await send(strict, "POST", "/Insurability/v2", "this is not xml");
    const notSoap = await send(strict, "POST", "/Insurability/v2", "<a>b</a>");
    const empty = await send(strict, "POST", "/Insurability/v2", soapEnvelope({ body: "" }));
    const invalid = await ask(strict, { niss: "123" });
    for (const [reply, code] of [
      [garbage, "SOA-03001"],
      [notSoap, "SOA-03002"],
      [empty, "SOA-03003"],
      [invalid, "SOA-03006"],
    ] as const) {
      expect(reply).toMatchObject({ status: 500 });
      expect("body" in reply && reply.body).toContain(code);
    }
    expect(await stats(strict)).toMatchObject({
      consultations: 4,
      invalidMessages: { total: 4, "not-xml": 1, "not-soap": 1, "empty-body": 1, xsd: 1 },
      xsdChecked: 1,
      outcomes: { "fault:SOA-03001": 1, "fault:SOA-03002": 1, "fault:SOA-03003": 1, "fault:SOA-03006": 1 },
    });
  });

  it("checks the XSD when not strict too: answered, but counted invalid", async () => {
    const reply = await ask(lenient, { niss: "123" });
    expect(reply).toMatchObject({ status: 200 });
    await ask(lenient, { niss: niss(lenient, "ordinary") });
    expect(await stats(lenient)).toMatchObject({
      consultations: 2,
      xsdChecked: 2,
      invalidMessages: { total: 1, xsd: 1 },
      outcomes: { "bad-input": 1, insured: 1 },
    });
  });

  it("counts STS requests, issued or refused", async () => {
    expect(await send(strict, "POST", STS_PATH, "<nope/>")).toMatchObject({ status: 500 });
    expect((await stats(strict)).sts).toEqual({ requests: 1, issued: 0, refused: 1 });
  });

  it("counts the WS-Trust door's requests too", async () => {
    expect(await send(strict, "POST", WS_TRUST_STS_PATH, "<nope/>")).toMatchObject({ status: 500 });
    expect((await stats(strict)).sts).toEqual({ requests: 1, issued: 0, refused: 1 });
  });

  it("counts a samlp:Requester refusal (HTTP 200) as refused, not issued", async () => {
    const c = credentials();
    const now = new Date();
    const request = buildStsRequest({
      ...titularTerms(c, now),
      identificationCertDer: c.personal.certificateDer,
      user: { ssin: "90010100123" }, // not the person the certificate names
    });
    const body = await signStsRequest(
      request,
      { identification: c.personal, holderOfKey: c.organisation },
      { now },
    );
    const reply = await send(strict, "POST", STS_PATH, body);
    expect(reply).toMatchObject({ status: 200 });
    expect("body" in reply && reply.body).toContain("samlp:Requester");
    expect((await stats(strict)).sts).toEqual({ requests: 1, issued: 0, refused: 1 });
  });

  it("DELETE resets the counts (and answers them, all zero)", async () => {
    await ask(strict, { niss: niss(strict, "ordinary") });
    expect((await stats(strict)).consultations).toBe(1);
    const reply = await send(strict, "DELETE", "/_control/stats");
    expect("body" in reply && JSON.parse(reply.body)).toMatchObject({
      consultations: 0,
      xsdChecked: 0,
      byInsurer: {},
      outcomes: {},
    });
    expect(await stats(strict)).toMatchObject({ consultations: 0, sts: { requests: 0 } });
  });
});

describe("the connection-level probe", () => {
  it("HEAD and GET on the service path answer 200 without a consultation", async () => {
    const before = strict.upstreamCalls();
    expect(await send(strict, "HEAD", "/Insurability/v2")).toEqual({ status: 200, body: "" });
    expect(await send(strict, "GET", "/Insurability/v2")).toMatchObject({ status: 200 });
    expect(strict.upstreamCalls()).toBe(before);
    expect(await stats(strict)).toMatchObject({ consultations: 0, probes: 2, xsdChecked: 0 });
  });

  it("meets the door's faults: 503 page while unavailable, reset while resetting, 200 for a one-patient fault", async () => {
    strict.faults.set({ all: { kind: "unavailable" } });
    expect(await send(strict, "HEAD", "/Insurability/v2")).toMatchObject({ status: 503 });
    strict.faults.set({ all: { kind: "reset" } });
    expect(await send(strict, "GET", "/Insurability/v2")).toMatchObject({ error: "ECONNRESET" });
    strict.faults.set({ all: { kind: "system-error", patients: [niss(strict, "ordinary")] } });
    expect(await send(strict, "HEAD", "/Insurability/v2")).toMatchObject({ status: 200 });
    expect((await stats(strict)).probes).toBe(3);
  });
});
