// The simulator over real loopback sockets: the wire answers, the control API, and every fault
// kind acted out as a client sees it (STYLE: misbehaving loopback peers, never mocks).
import { request as httpRequest, Agent } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { testPki } from "../../tests/support/pki.js";
import { CodedError } from "../errors.js";
import { loadPkcs12 } from "../ehealth/keys/pkcs12.js";
import { requestStsToken } from "../ehealth/sts/client.js";
import { parseInsurabilityResponse } from "../ehealth/insurability/index.js";
import type { ParsedResponse } from "../ehealth/insurability/index.js";
import { organisationSigner, requestInput, signedRequest, testAssertion } from "./__fixtures__/session.js";
import { createFaults } from "./faults.js";
import type { FaultPlan } from "./faults.js";
import { startSimulator } from "./server.js";
import { certificateDerOf } from "./sts-mount.js";
import type { Simulator } from "./server.js";

const pki = testPki();
const dataDir = mkdtempSync(join(tmpdir(), "mcn-sim-"));
let sim: Simulator;
let assertion: string;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    controlPort: 0,
    dataDir,
    seed: 5,
    strict: true,
    pki,
    populationSize: 30,
  });
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

type Outcome = { status: number; body: string; reusedSocket: boolean } | { error: string };

function send(url: string, method: string, body: string, timeoutMs = 5000, fresh = false): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = httpRequest(
      url,
      { method, agent: fresh ? false : agent, headers: { "content-type": "text/xml; charset=UTF-8" } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString("utf8"),
            reusedSocket: req.reusedSocket,
          }),
        );
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end(body);
  });
}

const today = () => sim.population.today;

async function consult(
  name: "ordinary" | "preferential",
  timeoutMs?: number,
  fresh = false,
): Promise<Outcome> {
  const niss = sim.population.scenarios[name].niss ?? "";
  const body = await signedRequest(pki, requestInput(pki, { niss }, today()), { now: new Date(), assertion });
  return send(sim.insurabilityUrl, "POST", body, timeoutMs, fresh);
}

function parsed(outcome: Outcome): ParsedResponse {
  if ("error" in outcome) throw new Error(`transport error ${outcome.error}`);
  return parseInsurabilityResponse(outcome.body);
}

const setFaults = async (plan: FaultPlan): Promise<void> => {
  sim.faults.set(plan);
  await sim.settled();
};

describe("the simulator on loopback", () => {
  it("answers a signed consultation, counts it, and keeps the connection alive", async () => {
    const before = sim.upstreamCalls();
    const first = await consult("ordinary");
    expect(parsed(first)).toMatchObject({ type: "answer", answer: { kind: "insured" } });
    const second = await consult("ordinary");
    expect("reusedSocket" in second && second.reusedSocket).toBe(true);
    expect(sim.upstreamCalls()).toBe(before + 2);
  });

  it("routes by path: 404 elsewhere, 405 for PUT (GET is the probe), SOAPAction not required", async () => {
    expect(await send(`${sim.url}/nowhere`, "POST", "")).toMatchObject({ status: 404 });
    expect(await send(sim.insurabilityUrl, "PUT", "")).toMatchObject({ status: 405 });
  });

  it("mounts the STS path", async () => {
    const outcome = await send(sim.stsUrl, "POST", "<x/>");
    expect("status" in outcome && outcome.status).not.toBe(404);
  });
});

describe("the control API", () => {
  it("lists the scenario patients, without the people behind them", async () => {
    const outcome = await send(`${sim.url}/_control/population/scenarios`, "GET", "");
    if ("error" in outcome) throw new Error(outcome.error);
    const json = JSON.parse(outcome.body) as { today: string; scenarios: Array<Record<string, unknown>> };
    expect(json.today).toBe(today());
    expect(json.scenarios.find((s) => s["name"] === "ordinary")).toMatchObject({
      niss: sim.population.scenarios.ordinary.niss,
    });
    expect(json.scenarios.every((s) => !("person" in s))).toBe(true);
  });

  it("replaces, reads and clears the fault plan; refuses a bad one", async () => {
    const plan = { insurers: { "300": { kind: "malformed" } } };
    expect(await send(`${sim.controlUrl}/_control/faults`, "PUT", JSON.stringify(plan))).toMatchObject({
      status: 200,
    });
    expect(sim.faults.plan()).toEqual(plan);
    const read = await send(`${sim.url}/_control/faults`, "GET", "");
    expect("body" in read && JSON.parse(read.body)).toEqual(plan);
    expect(
      await send(`${sim.url}/_control/faults`, "PUT", JSON.stringify({ all: { kind: "nope" } })),
    ).toMatchObject({ status: 400 });
    expect(await send(`${sim.url}/_control/faults`, "PUT", "{")).toMatchObject({ status: 400 });
    expect(await send(`${sim.url}/_control/faults`, "DELETE", "")).toMatchObject({ status: 200 });
    expect(sim.faults.plan()).toEqual({});
  });

  it("reports stats", async () => {
    const outcome = await send(`${sim.url}/_control/stats`, "GET", "");
    expect("body" in outcome && JSON.parse(outcome.body)).toMatchObject({
      seed: 5,
      strict: true,
      insurabilityCalls: sim.upstreamCalls(),
    });
  });
});

describe("fault injection, as a client sees it", () => {
  it("down for all: connections refused, the control port still answers, and back up after", async () => {
    await setFaults({ all: { kind: "down" } });
    // A new connection is refused (a pooled keep-alive socket would see its reset instead).
    expect(await consult("ordinary", 5000, true)).toEqual({ error: "ECONNREFUSED" });
    expect(await send(`${sim.controlUrl}/_control/faults`, "GET", "")).toMatchObject({ status: 200 });
    await send(`${sim.controlUrl}/_control/faults`, "DELETE", "");
    await sim.settled();
    expect(parsed(await consult("ordinary")).type).toBe("answer");
  });

  it("down for one insurer: the socket closes without an answer; other insurers answer", async () => {
    await setFaults({ insurers: { "100": { kind: "down" } } });
    expect(await consult("ordinary")).toEqual({ error: "ECONNRESET" });
    expect(parsed(await consult("preferential")).type).toBe("answer");
  });

  it("reset: headers, half a body, then ECONNRESET", async () => {
    await setFaults({ all: { kind: "reset" } });
    expect(await consult("ordinary")).toEqual({ error: "ECONNRESET" });
  });

  it("slow: no answer before the client gives up", async () => {
    await setFaults({ insurers: { "100": { kind: "slow" } } });
    expect(await consult("ordinary", 300)).toEqual({ error: "TIMEOUT" });
  });

  it("latency: the answer leaves once the platform's and the insurer's latencies have passed, faults too", async () => {
    const body = await signedRequest(
      pki,
      requestInput(pki, { niss: sim.population.scenarios.ordinary.niss ?? "" }, today()),
      { now: new Date(), assertion },
    );
    const timed = async (): Promise<{ ms: number; outcome: Outcome }> => {
      const start = performance.now();
      const outcome = await send(sim.insurabilityUrl, "POST", body);
      return { ms: performance.now() - start, outcome };
    };
    const person = sim.population.byNiss(sim.population.scenarios.ordinary.niss ?? "");
    const union = person?.periods[0]?.mutuality.slice(0, 1) ?? "none";
    await setFaults({ all: { latencyMs: 150 }, insurers: { [`${union}00`]: { latencyMs: 100 } } });
    const both = await timed();
    expect(parsed(both.outcome).type).toBe("answer");
    expect(both.ms).toBeGreaterThanOrEqual(250);
    await setFaults({ all: { latencyMs: 150, kind: "system-error" } });
    const fault = await timed();
    expect(parsed(fault.outcome).type).toBe("fault");
    expect(fault.ms).toBeGreaterThanOrEqual(150);
  });

  it("latency beyond the client's timeout, then an answer once it is lifted", async () => {
    await setFaults({ all: { latencyMs: 60_000 } });
    expect(await consult("ordinary", 300)).toEqual({ error: "TIMEOUT" });
    sim.faults.clear();
    expect(parsed(await consult("ordinary")).type).toBe("answer");
  });

  it("system-error: SOAP fault SOA-02001, or SOA-02002 when asked", async () => {
    await setFaults({ all: { kind: "system-error" } });
    const outcome = await consult("ordinary");
    expect(outcome).toMatchObject({ status: 500 });
    expect(parsed(outcome)).toMatchObject({ type: "fault", fault: { kind: "system", code: "SOA-02001" } });
    await setFaults({ insurers: { "100": { kind: "system-error", code: "SOA-02002" } } });
    expect(parsed(await consult("ordinary"))).toMatchObject({ type: "fault", fault: { code: "SOA-02002" } });
  });

  it("malformed: HTTP 200 with an envelope nobody can parse", async () => {
    await setFaults({ insurers: { "100": { kind: "malformed" } } });
    const outcome = await consult("ordinary");
    expect(outcome).toMatchObject({ status: 200 });
    expect(parsed(outcome).type).toBe("malformed");
  });

  it("insurer-silent: the platform answers insurer-unavailable for that insurer only", async () => {
    await setFaults({ insurers: { "100": { kind: "insurer-silent" } } });
    expect(parsed(await consult("ordinary"))).toMatchObject({
      type: "answer",
      answer: { kind: "insurer-unavailable", returnCode: { major: "09" } },
    });
    expect(parsed(await consult("preferential"))).toMatchObject({
      type: "answer",
      answer: { kind: "insured" },
    });
  });

  it("expired-token: every assertion refused with SOA-01001", async () => {
    await setFaults({ all: { kind: "expired-token" } });
    expect(parsed(await consult("ordinary"))).toMatchObject({ type: "fault", fault: { code: "SOA-01001" } });
  });

  it("intermittent: the requests that fail are the ones the seed picks", async () => {
    const plan: FaultPlan = { all: { kind: "system-error", rate: 0.5, seed: 3 } };
    const expected = createFaults(plan);
    const predicted = Array.from({ length: 8 }, () =>
      expected.decide("all").kind === undefined ? "answer" : "fault",
    );
    await setFaults(plan);
    const seen: string[] = [];
    for (let i = 0; i < 8; i++) seen.push(parsed(await consult("ordinary")).type);
    expect(seen).toEqual(predicted);
    expect(new Set(seen).size).toBe(2);
  });

  it("stop() ends hanging requests and frees the port", async () => {
    const other = await startSimulator({ port: 0, dataDir, seed: 1, strict: false, pki, populationSize: 1 });
    other.faults.set({ all: { kind: "slow" } });
    const pending = send(other.insurabilityUrl, "POST", "<x/>", 10_000);
    await new Promise((r) => setTimeout(r, 50));
    await other.stop();
    expect(await pending).toEqual({ error: "ECONNRESET" });
    expect(await send(other.insurabilityUrl, "POST", "<x/>")).toEqual({ error: "ECONNREFUSED" });
  });
});

describe("through the simulator's own STS", () => {
  const token = () =>
    requestStsToken({
      url: sim.stsUrl,
      identification: loadPkcs12(pki.personal.p12Path, pki.personal.password),
      holderOfKey: organisationSigner(pki),
      holder: { ssin: pki.holder.ssin },
      user: { ssin: pki.personal.ssin },
      pharmacy: { nihii: pki.pharmacy.nihii },
      lifetimeHours: 12,
      stsCertificateDer: certificateDerOf(pki.sts.certPem),
      timeoutMs: 5000,
      now: new Date(),
    });

  it("a token from the STS opens the insurability service (strict XSD on both services)", async () => {
    const { assertionXml } = await token();
    const niss = sim.population.scenarios.preferential.niss ?? "";
    const body = await signedRequest(pki, requestInput(pki, { niss }, today()), {
      now: new Date(),
      assertion: assertionXml,
    });
    expect(parsed(await send(sim.insurabilityUrl, "POST", body))).toMatchObject({
      type: "answer",
      answer: { kind: "insured", coverage: { ct1: "131", thirdPartyPayerRegime: "elevated" } },
    });
  });

  it("wrong-key: the STS signs with a key that is not its certificate's, and the client refuses the token", async () => {
    await setFaults({ all: { kind: "wrong-key" } });
    const refused = await token().then(
      () => "accepted",
      (e: unknown) => (e instanceof CodedError ? e.code : String(e)),
    );
    expect(refused).toBe("STS_ANSWER_INVALID");
    sim.faults.clear();
    await expect(token()).resolves.toMatchObject({ assertionId: expect.any(String) });
  });

  it("sts scope: system-error and down reach the STS only", async () => {
    await setFaults({ sts: { kind: "system-error", code: "SOA-02002" } });
    const failed = await token().then(
      () => "accepted",
      (e: unknown) => (e instanceof CodedError ? e.code : String(e)),
    );
    expect(failed).toBe("STS_UNAVAILABLE");
    expect(parsed(await consult("ordinary")).type).toBe("answer");
    await setFaults({ sts: { kind: "down" } });
    expect(await send(sim.stsUrl, "POST", "<x/>")).toEqual({ error: "ECONNRESET" });
  });
});
