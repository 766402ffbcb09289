// eHealth sessions through the HTTP API (issue: eHealth session): the eID is a real SoftHSM2
// token, the personal certificate a real PKCS#12, the STS the simulator's, signatures real.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CodedError } from "../../src/errors.js";
import { SCENARIO_NISS } from "../../src/simulator/index.js";
import { testPki } from "../support/pki.js";
import { startStack, type Stack } from "../support/stack.js";

let stack: Stack;
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);

beforeAll(async () => {
  stack = await startStack({ session: false, clock, stsLifetimeSeconds: 24 * 3600 });
});
afterAll(() => stack.stop());

const asPharmacist = { token: "" };
const open = (body: object) => stack.request("POST", "/v1/sessions", { token: asPharmacist.token, body });
const list = () => stack.request("GET", "/v1/sessions", { token: asPharmacist.token });

describe("opening sessions", () => {
  beforeAll(() => {
    asPharmacist.token = stack.tokens.pharmacist;
  });

  it("opens with the eID (SoftHSM token, PIN), at most 12 hours", async () => {
    const pki = testPki();
    const res = await open({ method: "eid", pin: pki.eid.pin });
    expect(res.status).toBe(201);
    const s = res.json;
    expect(s).toMatchObject({
      method: "eid",
      user: { name: `${pki.eid.givenName} ${pki.eid.surname}`, nihii: pki.holder.nihii },
    });
    // the STS would give 24 hours; SPEC §1.5: a session lasts at most 12
    const lasts = Date.parse(s.notOnOrAfter) - Date.parse(s.createdAt);
    expect(lasts).toBeLessThanOrEqual(12 * 3600_000);
    expect(lasts).toBeGreaterThan(12 * 3600_000 - 5_000);
  });

  it("opens with the personal certificate, in parallel with the first", async () => {
    const res = await open({ method: "personal-certificate" });
    expect(res.status).toBe(201);
    const all = (await list()).json;
    expect(all.sessions.map((s: { method: string }) => s.method)).toEqual(["eid", "personal-certificate"]);
    expect(all.methods).toEqual(["eid", "personal-certificate"]);
    for (const s of all.sessions) {
      expect(s.user.nihii).toBe(testPki().holder.nihii);
      expect(s.secondsLeft).toBeGreaterThan(11 * 3600);
    }
  });

  it("refuses a wrong PIN precisely, without writing it anywhere", async () => {
    const wrong = "9999";
    const before = (await list()).json.sessions.length;
    const res = await open({ method: "eid", pin: wrong });
    expect(res.status).toBe(403);
    expect(res.json.code).toBe("PIN_INCORRECT");
    expect(res.json.pinCountLow).toBe(true); // the token says a try was spent
    expect(JSON.stringify(res.json)).not.toContain(wrong);
    expect(stack.logs.join("")).not.toContain(`"${wrong}"`);
    expect((await list()).json.sessions.length).toBe(before);
  });

  it("refuses a malformed PIN before touching the card, and the wrong role", async () => {
    expect((await open({ method: "eid", pin: "12ab" })).json.code).toBe("REQUEST_INVALID");
    const asCounter = await stack.request("POST", "/v1/sessions", {
      body: { method: "personal-certificate" },
    });
    expect(asCounter.json.code).toBe("ROLE_FORBIDDEN");
  });

  it("says STS_UNAVAILABLE when the STS is down, STS_REFUSED when it refuses", async () => {
    stack.demo.simulator.faults.set({ sts: { kind: "system-error" } });
    expect((await open({ method: "personal-certificate" })).json.code).toBe("STS_UNAVAILABLE");
    stack.demo.simulator.faults.clear();
    const registry = stack.demo.simulator.sts.config.pharmacies;
    const saved = { ...registry };
    for (const k of Object.keys(registry)) delete registry[k];
    try {
      const res = await open({ method: "personal-certificate" });
      expect(res.status).toBe(403);
      expect(res.json.code).toBe("STS_REFUSED");
    } finally {
      Object.assign(registry, saved);
    }
  });

  it("closes a session; a closed one is gone", async () => {
    const [first] = (await list()).json.sessions;
    const auditBefore = stack.daemon.store.auditHead().seq;
    const del = await stack.request("DELETE", `/v1/sessions/${first.id}`, { token: asPharmacist.token });
    expect(del.status).toBe(204);
    // SPEC §1.5: opening and closing are traced to the pharmacist (NIHII, SSIN pseudonymised).
    const pki = testPki();
    const user = {
      nihii: pki.holder.nihii,
      ssin: stack.daemon.store.patientPseudonym(`niss:${pki.eid.ssin}`),
    };
    const trail = stack.daemon.store.auditEntries(1, 10_000);
    const opened = trail.find((e) => e.action === "session.opened" && e.detail?.["session"] === first.id);
    const closed = trail.filter((e) => e.seq > auditBefore && e.action === "session.closed");
    expect(opened?.detail).toMatchObject({ method: "eid", user });
    expect(closed.map((e) => e.detail)).toEqual([{ session: first.id, user }]);
    expect(JSON.stringify(trail)).not.toContain(pki.eid.ssin);
    expect((await list()).json.sessions.map((s: { id: string }) => s.id)).not.toContain(first.id);
    const again = await stack.request("DELETE", `/v1/sessions/${first.id}`, { token: asPharmacist.token });
    expect(again.json.code).toBe("SESSION_NOT_FOUND");
  });

  // Changed on purpose (issue 13, brochure §9.3.1): no session open is a reason for the
  // fallback; this was a 409 SESSION_EXPIRED.
  it("expires without a restart: consultations then answer from the fallback (no-session)", async () => {
    const consult = (niss: string) =>
      stack.request("POST", "/v1/consultations", { body: { patient: { niss }, reference: "exp-1" } });
    expect((await consult(SCENARIO_NISS.ordinary)).status).toBe(201);
    offsetMs = 12 * 3600_000 + 1000;
    try {
      expect((await list()).json.sessions).toEqual([]);
      const res = await consult(SCENARIO_NISS.preferential);
      expect(res.status).toBe(201);
      expect(res.json).toMatchObject({ session: null, fallback: { reason: "no-session" } });
    } finally {
      offsetMs = 0;
    }
  });

  it("ends earlier when the STS gives a shorter token", async () => {
    stack.demo.simulator.sts.config.lifetimeSeconds = 120;
    try {
      const s = (await open({ method: "personal-certificate" })).json;
      expect(Date.parse(s.notOnOrAfter) - Date.parse(s.createdAt)).toBeLessThanOrEqual(120_000);
      expect(Date.parse(s.notOnOrAfter) - Date.parse(s.createdAt)).toBeGreaterThan(100_000);
    } finally {
      stack.demo.simulator.sts.config.lifetimeSeconds = 24 * 3600;
    }
  });
});

describe("card and keystore problems", () => {
  it("CARD_ABSENT when no token carries the configured label", async () => {
    const other = await startStack({
      session: false,
      env: { MCN_PKCS11_MODULE: testPki().eid.module, MCN_PKCS11_TOKEN_LABEL: "no-such-card" },
    });
    try {
      const res = await other.request("POST", "/v1/sessions", {
        token: other.tokens.pharmacist,
        body: { method: "eid", pin: testPki().eid.pin },
      });
      expect(res.status).toBe(409);
      expect(res.json.code).toBe("CARD_ABSENT");
    } finally {
      await other.stop();
    }
  });

  it("a wrong keystore password stops the daemon at start with KEYSTORE_PASSWORD", async () => {
    const pki = testPki();
    const attempt = startStack({
      session: false,
      env: {
        MCN_PERSONAL_KEYSTORE: pki.personal.p12Path,
        MCN_PERSONAL_KEYSTORE_PASSWORD: "not-the-password",
      },
    });
    await expect(attempt).rejects.toSatisfy(
      (e: unknown) => e instanceof CodedError && e.code === "KEYSTORE_PASSWORD",
    );
  });
});
