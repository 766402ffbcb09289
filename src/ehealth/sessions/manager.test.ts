// eHealth sessions (SPEC §1.5) with the test PKI's personal certificate, a scripted STS and a
// real session file: who the session is for, its 12-hour cap, expiry, the eID signer released
// after one use, and what a restart finds again.
import { existsSync, readFileSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { colleagueKeystore, COLLEAGUE, type Colleague } from "../../../tests/support/colleague.js";
import { testPki } from "../../../tests/support/pki.js";
import { CodedError } from "../../errors.js";
import { ManualClock, sequentialIds, TempDir } from "../../store/__fixtures__/store-fixture.js";
import { loadPkcs12 } from "../keys/pkcs12.js";
import type { Signer } from "../keys/signer.js";
import { SessionManager, type SamlToken, type SessionDeps } from "./manager.js";
import { sessionFile } from "./session-file.js";

const pki = testPki();
let personal: Signer;
let organisation: Signer;
let colleague: Colleague;
let colleagueSigner: Signer;
let dir: TempDir;
let clock: ManualClock;
let asked: Array<{ identification: Signer; ssin: string }>;
let stsHours: number;

beforeAll(async () => {
  personal = loadPkcs12(pki.personal.p12Path, pki.personal.password);
  organisation = loadPkcs12(pki.organisation.p12Path, pki.organisation.password);
  colleague = await colleagueKeystore();
  colleagueSigner = loadPkcs12(colleague.p12Path, colleague.password);
});
afterAll(async () => {
  await personal.close();
  await organisation.close();
  await colleagueSigner.close();
});

beforeEach(() => {
  dir = new TempDir();
  clock = new ManualClock("2025-03-10T08:00:00Z");
  asked = [];
  stsHours = 24;
});
afterEach(() => dir.remove());

const token = (): SamlToken => {
  const now = clock.now();
  return {
    assertionXml: "<saml:Assertion/>",
    assertionId: `a-${asked.length}`,
    notBefore: now,
    notOnOrAfter: new Date(now.getTime() + stsHours * 3600_000),
  };
};

function manager(over: Partial<SessionDeps> = {}): SessionManager {
  return new SessionManager({
    organisation,
    holder: pki.holder,
    personal,
    requestToken: (identification, user) => {
      asked.push({ identification, ssin: user.ssin });
      return Promise.resolve(token());
    },
    clock: clock.now,
    newId: sequentialIds("session"),
    persistence: sessionFile(dir.file("sessions.json")),
    ...over,
  });
}

async function codeOf(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (err) {
    if (err instanceof CodedError) return err.code;
    throw err;
  }
  throw new Error("expected a CodedError");
}

describe("SessionManager.open", () => {
  it("opens a session for the certificate's holder, capped at 12 hours, kept on disk", async () => {
    const m = manager();
    const s = await m.open({ method: "personal-certificate" }, "pharmacist-1");
    expect(asked).toEqual([{ identification: personal, ssin: pki.personal.ssin }]);
    expect(s).toMatchObject({
      id: "session-000001",
      method: "personal-certificate",
      openedBy: "pharmacist-1",
      user: { name: "Anne Dupont", nihii: pki.holder.nihii, ssin: pki.personal.ssin },
    });
    expect(s.notOnOrAfter.toISOString()).toBe("2025-03-10T20:00:00.000Z");
    const stored = JSON.parse(readFileSync(dir.file("sessions.json"), "utf8")) as { sessions: unknown[] };
    expect(stored.sessions).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain("PRIVATE KEY");
  });

  it("keeps the STS's end when it comes before 12 hours", async () => {
    stsHours = 2;
    const s = await manager().open({ method: "personal-certificate" }, "p");
    expect(s.notOnOrAfter.toISOString()).toBe("2025-03-10T10:00:00.000Z");
  });

  it("says which methods are configured, and refuses the others", async () => {
    const m = manager({ personal: undefined });
    expect(m.methods).toEqual([]);
    expect(await codeOf(() => m.open({ method: "eid" }, "p"))).toBe("SESSION_METHOD_UNAVAILABLE");
    expect(await codeOf(() => m.open({ method: "personal-certificate" }, "p"))).toBe(
      "SESSION_METHOD_UNAVAILABLE",
    );
    expect(asked).toEqual([]);
    expect(existsSync(dir.file("sessions.json"))).toBe(false);
  });

  it("passes the PIN to the eID once and releases the card even when the STS refuses", async () => {
    const pins: Array<string | undefined> = [];
    let closed = 0;
    const eid: Signer = {
      kind: "pkcs11",
      certificateDer: personal.certificateDer,
      sign: (data, algorithm) => personal.sign(data, algorithm),
      close: () => {
        closed++;
        return Promise.resolve();
      },
    } as Signer;
    const m = manager({
      openEidSigner: (pin) => {
        pins.push(pin);
        return Promise.resolve(eid);
      },
      requestToken: () => Promise.reject(new CodedError("STS_REFUSED", { reason: "scripted" })),
    });
    expect(m.methods).toEqual(["eid", "personal-certificate"]);
    expect(await codeOf(() => m.open({ method: "eid", pin: "2468" }, "p"))).toBe("STS_REFUSED");
    expect(pins).toEqual(["2468"]);
    expect(closed).toBe(1);
    expect(m.list()).toEqual([]);
  });

  it("refuses a certificate without a national number, before asking the STS", async () => {
    const m = manager({ personal: organisation });
    expect(new X509Certificate(organisation.certificateDer).subject).not.toMatch(/SSIN=/);
    expect(await codeOf(() => m.open({ method: "personal-certificate" }, "p"))).toBe("STS_REFUSED");
    expect(asked).toEqual([]);
  });
});

describe("SessionManager: who the session's user is (brochure §8.2.2.3)", () => {
  it("another pharmacist: their SSIN and name from the certificate, the NIHII they give", async () => {
    const m = manager({ personal: colleagueSigner });
    const s = await m.open({ method: "personal-certificate", nihii: colleague.nihii }, "p");
    expect(asked).toEqual([{ identification: colleagueSigner, ssin: COLLEAGUE.ssin }]);
    expect(s.user).toEqual({ name: "Marc Peeters", nihii: colleague.nihii, ssin: COLLEAGUE.ssin });
    // separators are allowed, the number is kept normalised
    const dotted = `${colleague.nihii.slice(0, 1)}.${colleague.nihii.slice(1, 6)}.${colleague.nihii.slice(6, 8)}.${colleague.nihii.slice(8)}`;
    expect((await m.open({ method: "personal-certificate", nihii: dotted }, "p")).user.nihii).toBe(
      colleague.nihii,
    );
  });

  it("another pharmacist who gives no NIHII: null, never the titular's", async () => {
    const s = await manager({ personal: colleagueSigner }).open({ method: "personal-certificate" }, "p");
    expect(s.user).toEqual({ name: "Marc Peeters", nihii: null, ssin: COLLEAGUE.ssin });
    expect(JSON.parse(readFileSync(dir.file("sessions.json"), "utf8")).sessions[0].user.nihii).toBeNull();
    expect(manager().list()[0]?.user.nihii).toBeNull();
  });

  it("the titular keeps the configured NIHII, and may give it", async () => {
    const m = manager();
    expect((await m.open({ method: "personal-certificate" }, "p")).user.nihii).toBe(pki.holder.nihii);
    const given = await m.open({ method: "personal-certificate", nihii: pki.holder.nihii }, "p");
    expect(given.user.nihii).toBe(pki.holder.nihii);
  });

  it.each([
    ["12345", "NIHII_FORMAT"],
    [pki.pharmacy.nihii, "NIHII_FORMAT"], // 8 digits: a pharmacy's, not a person's
    ["27140800002", "NIHII_CHECKSUM"],
  ])("refuses the NIHII %s with %s, before the card or the STS", async (nihii, code) => {
    let cardOpened = 0;
    const m = manager({
      openEidSigner: () => {
        cardOpened++;
        return Promise.resolve(personal);
      },
    });
    expect(await codeOf(() => m.open({ method: "eid", pin: "2468", nihii }, "p"))).toBe(code);
    expect(cardOpened).toBe(0);
    expect(asked).toEqual([]);
    expect(existsSync(dir.file("sessions.json"))).toBe(false);
  });

  it("refuses a NIHII that contradicts the configuration: SESSION_NIHII_MISMATCH, nothing asked", async () => {
    const other = manager({ personal: colleagueSigner });
    expect(
      await codeOf(() => other.open({ method: "personal-certificate", nihii: pki.holder.nihii }, "p")),
    ).toBe("SESSION_NIHII_MISMATCH");
    const titular = manager();
    expect(
      await codeOf(() => titular.open({ method: "personal-certificate", nihii: colleague.nihii }, "p")),
    ).toBe("SESSION_NIHII_MISMATCH");
    expect(asked).toEqual([]);
    expect(existsSync(dir.file("sessions.json"))).toBe(false);
  });

  it("runs a consultation under the session of the pharmacist the caller names (8 or 11 digits)", async () => {
    const m = manager({ personal: colleagueSigner });
    const mine = await m.open({ method: "personal-certificate", nihii: colleague.nihii }, "p");
    clock.advance(60_000);
    const anonymous = await m.open({ method: "personal-certificate" }, "p");
    expect(m.forConsultation(colleague.nihii).id).toBe(mine.id);
    expect(m.forConsultation(colleague.nihii.slice(0, 8)).id).toBe(mine.id);
    expect(m.forConsultation().id).toBe(anonymous.id);
    expect(m.forConsultation(pki.holder.nihii).id).toBe(anonymous.id);
  });
});

describe("SessionManager lifetime", () => {
  it("says NO_SESSION before any, SESSION_EXPIRED once the only one ran out", async () => {
    const m = manager();
    expect(await codeOf(() => m.forConsultation())).toBe("NO_SESSION");
    const s = await m.open({ method: "personal-certificate" }, "p");
    clock.advance(12 * 3600_000);
    expect(m.list()).toEqual([]);
    expect(m.openCount).toBe(0);
    expect(await codeOf(() => m.get(s.id))).toBe("SESSION_EXPIRED");
    expect(await codeOf(() => m.forConsultation())).toBe("SESSION_EXPIRED");
    expect(await codeOf(() => m.get("other"))).toBe("SESSION_NOT_FOUND");
  });

  it("runs a consultation under the named pharmacist's session, else the most recent", async () => {
    const m = manager();
    const a = await m.open({ method: "personal-certificate" }, "p");
    clock.advance(60_000);
    const b = await m.open({ method: "personal-certificate" }, "p");
    expect(m.forConsultation().id).toBe(b.id);
    expect(m.forConsultation(pki.holder.nihii).id).toBe(b.id);
    expect(m.forConsultation("99999999001").id).toBe(b.id);
    m.close(b.id);
    expect(m.forConsultation().id).toBe(a.id);
    expect(m.list().map((s) => s.id)).toEqual([a.id]);
  });

  it("finds open sessions again after a restart and drops those that ran out meanwhile", async () => {
    const first = manager();
    const a = await first.open({ method: "personal-certificate" }, "p");
    stsHours = 1;
    await first.open({ method: "personal-certificate" }, "p");
    clock.advance(2 * 3600_000);
    const again = manager();
    expect(again.list().map((s) => s.id)).toEqual([a.id]);
    expect(again.get(a.id).createdAt).toEqual(a.createdAt);
    const stored = JSON.parse(readFileSync(dir.file("sessions.json"), "utf8")) as {
      sessions: Array<{ id: string }>;
    };
    expect(stored.sessions.map((s) => s.id)).toEqual([a.id]);
  });
});
