// The eID in a reader with a PIN pad (issue 15 item 4), through the HTTP API: the daemon's PKCS#11
// module is the test PIN-pad reader (tests/support/pinpad-shim, a real module in front of the
// SoftHSM eID). A session opened without a PIN waits on the keypad; meanwhile the daemon, whose
// event loop this test shares, keeps answering. The reader waits for the test to "type" the PIN:
// a login that held the event loop could never see it typed (the reader then cancels).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCENARIO_NISS } from "../../src/simulator/index.js";
import { pinpadReader, type PinpadReader } from "../support/pinpad.js";
import { testPki } from "../support/pki.js";
import { startStack, type Reply, type Stack } from "../support/stack.js";

let stack: Stack;
let reader: PinpadReader;

beforeAll(async () => {
  const pki = testPki();
  reader = pinpadReader(pki.eid, { waitForTyping: true });
  stack = await startStack({
    session: false,
    env: { MCN_PKCS11_MODULE: reader.module, MCN_PKCS11_TOKEN_LABEL: pki.eid.tokenLabel },
  });
});
afterAll(() => stack?.stop());

describe("an eID in a PIN-pad reader", () => {
  it("opens a session without a PIN once typed on the reader, the daemon answering meanwhile; a consultation follows online", async () => {
    const pki = testPki();
    const answered: string[] = [];
    const opening = stack
      .request("POST", "/v1/sessions", { token: stack.tokens.pharmacist, body: { method: "eid" } })
      .then((reply: Reply) => {
        answered.push("session");
        return reply;
      });

    // The reader asks for the PIN (or the opening failed before reaching the card: say why).
    const first = await Promise.race([reader.prompted().then(() => undefined), opening]);
    expect(first?.json, "answered before the reader asked for the PIN").toBeUndefined();
    const health = await stack.request("GET", "/v1/health", { token: null });
    answered.push("health");
    expect(health.status).toBe(200);
    const sessions = await stack.request("GET", "/v1/sessions", { token: stack.tokens.pharmacist });
    expect(sessions.json.sessions).toEqual([]);
    reader.type();

    const opened = await opening;
    expect(answered).toEqual(["health", "session"]);
    expect(opened.status, JSON.stringify(opened.json)).toBe(201);
    expect(opened.json).toMatchObject({
      method: "eid",
      user: { name: `${pki.eid.givenName} ${pki.eid.surname}` },
    });

    const consulted = await stack.request("POST", "/v1/consultations", {
      body: { patient: { niss: SCENARIO_NISS.ordinary }, reference: "pinpad-1" },
    });
    expect(consulted.status).toBe(201);
    expect(consulted.json).toMatchObject({ outcome: "online", session: { id: opened.json.id } });
  });
});
