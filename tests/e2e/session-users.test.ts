// Who a session's user is (SPEC §1.5, brochure §8.2.2.3), through HTTP against the simulator's
// STS: the titular opens with the eID (SoftHSM), a second pharmacist with their own personal
// certificate (issued by the test PKI) and the NIHII they give; each session keeps its user, a
// consultation runs under the session of the pharmacist its token names and records that user,
// and the audit entries of opening and closing name that user without their SSIN.
import { rmSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCENARIO_NISS } from "../../src/simulator/index.js";
import { DATABASE_FILE } from "../../src/store/index.js";
import { colleagueKeystore, COLLEAGUE, type Colleague } from "../support/colleague.js";
import { testPki } from "../support/pki.js";
import { startStack, type Stack } from "../support/stack.js";
import { dataDirWithTokens } from "../support/tokens.js";

const { dataDir, tokens } = dataDirWithTokens([
  { role: "pharmacist", name: "marc", nihii: COLLEAGUE.nihii },
  { role: "dispensing", name: "counter-marc", nihii: COLLEAGUE.nihii.slice(0, 8) },
]);
let stack: Stack;
let colleague: Colleague;
const pki = testPki();

beforeAll(async () => {
  colleague = await colleagueKeystore();
  // The daemon's personal certificate is the colleague's; the eID (SoftHSM) is the titular's.
  stack = await startStack({
    session: false,
    dataDir,
    env: { MCN_PERSONAL_KEYSTORE: colleague.p12Path, MCN_PERSONAL_KEYSTORE_PASSWORD: colleague.password },
  });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const open = (body: object, token = tokens["marc"]) =>
  stack.request("POST", "/v1/sessions", { token: token ?? null, body });
const list = async () =>
  (await stack.request("GET", "/v1/sessions", { token: stack.tokens.pharmacist })).json;
const consult = (token: string | undefined, niss: string, reference: string) =>
  stack.request("POST", "/v1/consultations", {
    token: token ?? null,
    body: { patient: { niss }, reference },
  });
const pseudonym = (ssin: string) => stack.daemon.store.patientPseudonym(`niss:${ssin}`);
const audited = (action: string, session: string) =>
  stack.daemon.store
    .auditEntries(1, 10_000)
    .filter((e) => e.action === action && e.detail?.["session"] === session);
const sessionUserRow = (id: string): unknown => {
  const db = new Database(join(stack.dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  try {
    return (
      db.prepare("SELECT session_user FROM consultations WHERE id = ?").get(id) as { session_user: unknown }
    ).session_user;
  } finally {
    db.close();
  }
};

let titular: { id: string };
let marc: { id: string };

describe("several pharmacists, each with a session of their own", () => {
  it("the STS refuses a person who is not a pharmacist of the authentic source", async () => {
    const res = await open({ method: "personal-certificate", nihii: colleague.nihii });
    expect([res.status, res.json.code]).toEqual([403, "STS_REFUSED"]);
    expect((await list()).sessions).toEqual([]);
    // Registered with INAMI from now on (the simulator's authentic source).
    stack.demo.simulator.sts.config.pharmacists.push(COLLEAGUE.ssin);
  });

  it("the titular opens with the eID and keeps the configured NIHII", async () => {
    const res = await open({ method: "eid", pin: pki.eid.pin }, stack.tokens.pharmacist);
    expect(res.status).toBe(201);
    expect(res.json.user).toEqual({
      name: `${pki.eid.givenName} ${pki.eid.surname}`,
      nihii: pki.holder.nihii,
    });
    titular = res.json;
  });

  it("a second pharmacist opens with their own certificate and the NIHII they give", async () => {
    const res = await open({ method: "personal-certificate", nihii: colleague.nihii });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      method: "personal-certificate",
      user: { name: colleague.name, nihii: colleague.nihii },
    });
    marc = res.json;
    const all = await list();
    expect(all.sessions.map((s: { id: string; user: unknown }) => [s.id, s.user])).toEqual([
      [titular.id, { name: `${pki.eid.givenName} ${pki.eid.surname}`, nihii: pki.holder.nihii }],
      [marc.id, { name: colleague.name, nihii: colleague.nihii }],
    ]);
  });

  it("refuses the titular's NIHII on the colleague's certificate, and a bad NIHII, opening nothing", async () => {
    const before = (await list()).sessions.length;
    const asHolder = await open({ method: "personal-certificate", nihii: pki.holder.nihii });
    expect([asHolder.status, asHolder.json.code]).toEqual([400, "SESSION_NIHII_MISMATCH"]);
    const bad = await open({ method: "personal-certificate", nihii: `${colleague.nihii.slice(0, 10)}` });
    expect([bad.status, bad.json.code]).toEqual([400, "NIHII_FORMAT"]);
    expect((await list()).sessions.length).toBe(before);
  });

  it("a consultation by the colleague's token runs under the colleague's session and records that user", async () => {
    const asked = [
      [tokens["marc"], SCENARIO_NISS.ordinary],
      [tokens["counter-marc"], SCENARIO_NISS.ctChangeInWindow], // the token's 8-digit short form
    ] as const;
    for (const [token, niss] of asked) {
      const res = await consult(token, niss, `marc-${niss}`);
      expect(res.status).toBe(201);
      expect(res.json.session).toEqual({
        id: marc.id,
        user: { name: colleague.name, nihii: colleague.nihii },
      });
      const stored = await stack.request("GET", `/v1/consultations/${res.json.id}`, { token: token ?? null });
      expect(stored.json.session).toEqual(res.json.session);
      expect(sessionUserRow(res.json.id)).toBe(colleague.nihii);
    }
    // The titular's token: the titular's session, though the colleague's is the most recent.
    const own = await consult(stack.tokens.pharmacist, SCENARIO_NISS.preferential, "anne-1");
    expect(own.json.session).toEqual({
      id: titular.id,
      user: { name: `${pki.eid.givenName} ${pki.eid.surname}`, nihii: pki.holder.nihii },
    });
  });

  it("audits opening and closing under the colleague (NIHII, SSIN pseudonymised), nothing in the clear", async () => {
    const del = await stack.request("DELETE", `/v1/sessions/${marc.id}`, { token: tokens["marc"] ?? null });
    expect(del.status).toBe(204);
    const user = { nihii: colleague.nihii, ssin: pseudonym(COLLEAGUE.ssin) };
    expect(audited("session.opened", marc.id)).toEqual([
      expect.objectContaining({
        actor: "marc",
        detail: { session: marc.id, method: "personal-certificate", user },
      }),
    ]);
    expect(audited("session.closed", marc.id)).toEqual([
      expect.objectContaining({ actor: "marc", detail: { session: marc.id, user } }),
    ]);
    expect(audited("session.opened", titular.id)[0]?.detail).toMatchObject({
      user: { nihii: pki.holder.nihii, ssin: pseudonym(pki.holder.ssin) },
    });
    const trail = JSON.stringify(stack.daemon.store.auditEntries(1, 10_000));
    expect(trail).not.toContain(COLLEAGUE.ssin);
    expect(trail).not.toContain(colleague.name);
    const logs = stack.logs.join("");
    expect(logs).not.toContain(COLLEAGUE.ssin);
    expect(logs).not.toContain(COLLEAGUE.surname);
  });

  it("a pharmacist who gives no NIHII is recorded with null, never the titular's", async () => {
    const res = await open({ method: "personal-certificate" });
    expect(res.status).toBe(201);
    expect(res.json.user).toEqual({ name: colleague.name, nihii: null });
    // No token names this session's pharmacist: the counter's consultation runs under the most recent.
    const c = await consult(stack.tokens.dispensing, SCENARIO_NISS.consecutiveSameStatus, "counter-1");
    expect(c.json.session).toEqual({ id: res.json.id, user: { name: colleague.name, nihii: null } });
    expect(sessionUserRow(c.json.id)).toBeNull();
    expect(audited("session.opened", res.json.id)[0]?.detail).toMatchObject({
      user: { nihii: null, ssin: pseudonym(COLLEAGUE.ssin) },
    });
    // The restarted daemon finds the session again with its unknown NIHII.
    await stack.restartDaemon();
    expect((await list()).sessions.map((s: { user: unknown }) => s.user)).toContainEqual({
      name: colleague.name,
      nihii: null,
    });
  });

  it("a session opened by the daemon's owner (the demo's start session) is audited too", async () => {
    const s = await stack.daemon.openSession(
      { method: "personal-certificate", nihii: colleague.nihii },
      "demo",
    );
    expect(audited("session.opened", s.id)).toEqual([
      expect.objectContaining({
        actor: "demo",
        detail: {
          session: s.id,
          method: "personal-certificate",
          user: { nihii: colleague.nihii, ssin: pseudonym(COLLEAGUE.ssin) },
        },
      }),
    ]);
  });
});
