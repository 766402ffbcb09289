// The composition root builds a whole daemon without listening: routes answer through
// app.inject, nothing is bound to a port, and listen() is what opens it to the network.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testPki } from "../tests/support/pki.js";
import { loadConfig } from "./config/index.js";
import { buildDaemon, loadPrincipals, type Daemon } from "./daemon.js";
import { prepareDemo, SCENARIO_NISS, type Demo } from "./demo/demo.js";
import { createLogger } from "./log.js";

let dataDir: string;
let demo: Demo;
let daemon: Daemon;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "mcn-daemon-"));
  const loaded = loadConfig({ MCN_ENV: "demo", MCN_DATA_DIR: dataDir, MCN_LISTEN: "127.0.0.1:0" });
  if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
  demo = await prepareDemo(loaded.config, { pki: testPki(), strict: true });
  daemon = await buildDaemon(demo.config, {
    logger: createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) }),
    principals: loadPrincipals(demo.config.tokensFile),
    defaultMetrics: false,
  });
});

afterAll(async () => {
  await daemon?.close();
  await demo?.simulator.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const auth = () => ({ authorization: `Bearer ${demo.tokens.dispensing}` });

describe("buildDaemon", () => {
  it("answers through inject without listening", async () => {
    expect(daemon.app.server.listening).toBe(false);
    expect(daemon.url).toBe("");
    const res = await daemon.app.inject({ url: "/v1/health" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: expect.any(String) });
  });

  it("runs a consultation online through inject once a session is open", async () => {
    await daemon.sessions.open({ method: "personal-certificate" }, "test");
    const res = await daemon.app.inject({
      method: "POST",
      url: "/v1/consultations",
      headers: auth(),
      payload: { patient: { niss: SCENARIO_NISS.ordinary }, reference: "inject-1" },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ source: "online", insured: true });
  });

  it("listens only when asked, and says where", async () => {
    const url = await daemon.listen();
    expect(daemon.app.server.listening).toBe(true);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(daemon.url).toBe(url);
    const res = await fetch(`${url}/v1/health`);
    expect(res.status).toBe(200);
  });
});
