// Done-when of issue 15, with real processes: the simulator and the daemon each run on their own
// (`node dist/…`), the eIDs are the test PKI's SoftHSM tokens — a recent card (EC P-384) and an
// older one (RSA). A recording proxy between them keeps what the daemon sent to the STS, which
// xmlsec1 then verifies. Opening times per door and key go to a results file, never asserted.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCENARIO_NISS } from "../../src/simulator/index.js";
import type { TestEid } from "../../src/simulator/pki/index.js";
import { buildDist, ROOT } from "../support/build.js";
import { TEST_PKI_DIR, testPki } from "../support/pki.js";
import {
  acceptanceEnv,
  startDaemonProcess,
  startSimulatorProcess,
  stopProcess,
  type ApiTokens,
  type DaemonProc,
  type SimulatorProc,
} from "../support/processes.js";
import { xmlsecVerify } from "../support/xmltools.js";
import { writeApiTokens } from "../../src/demo/tokens.js";

const WS_TRUST = "/IAM/SecurityTokenService/v1";
const LEGACY = "/IAM/Saml11TokenService/Legacy/v1";
const RUNS = 5;

let dist: string;
let dir: string;
let simulator: SimulatorProc;
let tokens: ApiTokens;
let proxy: { url: string; sent: string[]; close(): Promise<void> };
const timings: Record<string, number[]> = {};

/** Forwards every POST to the simulator and keeps the request bodies. */
async function recordingProxy(target: string): Promise<typeof proxy> {
  const sent: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      sent.push(body);
      const headers: Record<string, string> = { "content-type": String(req.headers["content-type"]) };
      if (req.headers["soapaction"]) headers["soapaction"] = String(req.headers["soapaction"]);
      fetch(`${target}${req.url ?? "/"}`, { method: "POST", body, headers }).then(
        async (answer) => {
          res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "text/xml" });
          res.end(await answer.text());
        },
        () => res.socket?.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  dist = await buildDist();
  dir = mkdtempSync(join(tmpdir(), "mcn-sts-doors-"));
  mkdirSync(join(dir, "sim/simulator"), { recursive: true });
  symlinkSync(TEST_PKI_DIR, join(dir, "sim/simulator/pki"));
  simulator = await startSimulatorProcess({
    dist,
    dataDir: join(dir, "sim"),
    logFile: join(dir, "simulator.log"),
  });
  proxy = await recordingProxy(new URL(simulator.sts).origin);
  tokens = writeApiTokens(dir, testPki().holder.nihii);
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  if (simulator) await stopProcess(simulator);
  const medians = Object.fromEntries(
    Object.entries(timings).map(([k, v]) => [k, { runs: v.length, medianMs: median(v), allMs: v }]),
  );
  mkdirSync(join(ROOT, ".data"), { recursive: true });
  writeFileSync(join(ROOT, ".data/sts-door-timings.json"), `${JSON.stringify(medians, null, 2)}\n`);
});

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] ?? NaN);
};

async function daemonWith(
  eid: TestEid,
  stsPath: string,
  extra: Record<string, string> = {},
): Promise<DaemonProc> {
  const name = `${eid.keyAlgorithm}-${stsPath === WS_TRUST ? "ws-trust" : "saml-p"}-${Object.keys(extra).length}`;
  return startDaemonProcess({
    dist,
    logFile: join(dir, `daemon-${name}.log`),
    env: acceptanceEnv({
      pki: testPki(),
      simulator,
      dataDir: join(dir, `data-${name}`),
      tokensFile: tokens.file,
      extra: {
        MCN_STS_URL: `${proxy.url}${stsPath}`,
        MCN_PKCS11_MODULE: eid.module,
        MCN_PKCS11_TOKEN_LABEL: eid.tokenLabel,
        SOFTHSM2_CONF: eid.conf,
        ...extra,
      },
    }),
  });
}

async function call(daemon: DaemonProc, method: string, path: string, token: string, body?: object) {
  const res = await fetch(`${daemon.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Opens a session with the eID `runs` times (closing each), keeping the opening times. */
async function openSessions(daemon: DaemonProc, eid: TestEid, label: string, runs = RUNS) {
  let last: Awaited<ReturnType<typeof call>> | undefined;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    last = await call(daemon, "POST", "/v1/sessions", tokens.pharmacist, { method: "eid", pin: eid.pin });
    (timings[label] ??= []).push(performance.now() - started);
    expect(last.status, JSON.stringify(last.json)).toBe(201);
    if (i < runs - 1) await call(daemon, "DELETE", `/v1/sessions/${last.json["id"]}`, tokens.pharmacist);
  }
  return last!;
}

const ID_ATTRIBUTES = [
  ["Id", "Body"],
  ["Id", "Timestamp"],
  ["Id", "BinarySecurityToken"],
] as const;

describe("a recent eID (EC P-384) at the counter", () => {
  it("opens a session through WS-Trust whose request xmlsec1 verifies, and a consultation follows under it", async () => {
    const eid = testPki().eid;
    expect(eid.keyAlgorithm).toBe("EC");
    const daemon = await daemonWith(eid, WS_TRUST);
    try {
      const before = proxy.sent.length;
      const session = await openSessions(daemon, eid, "ws-trust × EC P-384");
      expect(session.json).toMatchObject({
        method: "eid",
        user: { name: `${eid.givenName} ${eid.surname}` },
      });
      const rst = proxy.sent.slice(before).find((m) => m.includes("<wst:RequestSecurityToken "))!;
      expect(rst).toContain("xmldsig-more#ecdsa-sha256");
      const check = xmlsecVerify(rst, { idAttributes: ID_ATTRIBUTES, publicKeyCertificatePem: eid.certPem });
      expect(check.ok, check.output).toBe(true);

      const consulted = await call(daemon, "POST", "/v1/consultations", tokens.dispensing, {
        patient: { niss: SCENARIO_NISS.ordinary },
        reference: "eid-ec-1",
      });
      expect(consulted.status).toBe(201);
      expect(consulted.json["outcome"]).toBe("online");
      expect(consulted.json["session"]).toMatchObject({ id: session.json["id"] });
    } finally {
      await stopProcess(daemon);
    }
  }, 120_000);

  it("is refused precisely on the legacy door, forced by MCN_STS_PROTOCOL", async () => {
    const eid = testPki().eid;
    const daemon = await daemonWith(eid, WS_TRUST, { MCN_STS_PROTOCOL: "saml-p" });
    try {
      const before = proxy.sent.length;
      const res = await call(daemon, "POST", "/v1/sessions", tokens.pharmacist, {
        method: "eid",
        pin: eid.pin,
      });
      expect(res.status).toBe(409);
      expect(res.json["code"]).toBe("STS_DOOR_KEY_UNSUPPORTED");
      expect(proxy.sent.length).toBe(before); // nothing was sent
    } finally {
      await stopProcess(daemon);
    }
  }, 120_000);
});

describe("an older eID (RSA)", () => {
  it.each([
    ["ws-trust", WS_TRUST],
    ["saml-p", LEGACY],
  ])(
    "opens a session through the %s door and consults under it",
    async (door, stsPath) => {
      const eid = testPki().eidRsa;
      const daemon = await daemonWith(eid, stsPath);
      try {
        const session = await openSessions(daemon, eid, `${door} × RSA-2048`);
        const consulted = await call(daemon, "POST", "/v1/consultations", tokens.dispensing, {
          patient: { niss: SCENARIO_NISS.ordinary },
          reference: `eid-rsa-${door}`,
        });
        expect(consulted.json["outcome"]).toBe("online");
        expect(consulted.json["session"]).toMatchObject({ id: session.json["id"] });
      } finally {
        await stopProcess(daemon);
      }
    },
    120_000,
  );
});
