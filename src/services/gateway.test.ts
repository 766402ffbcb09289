// The gateway's scoping with a scripted MyCareNet (issue 13): what counts toward which circuit,
// what is sent at all, and when the guard is asked.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { InsurabilityAnswer } from "../consultation/answer.js";
import type { OutageKind, Upstream, UpstreamResult } from "../ehealth/insurability/client.js";
import type { Session } from "../ehealth/sessions/manager.js";
import { CodedError } from "../errors.js";
import type { PatientKey } from "../identifiers/patient-key.js";
import { createLogger } from "../log.js";
import { insurerOf, MyCareNetGateway } from "./gateway.js";

const SESSION = { id: "s1", user: { name: "Pharmacist", nihii: "12345678901" } } as unknown as Session;
// Known patients and their mutualities: 121 → 100, 311 → 300, 509 → 500.
const KNOWN: Record<string, string> = { "niss:1": "121", "niss:3": "311", "niss:5": "509" };
const q = (n: string) => ({
  patient: { niss: n.padStart(11, "0") },
  patientKey: `niss:${n}` as PatientKey,
  date: "2026-03-02",
});

const answer = (kind: InsurabilityAnswer["kind"], mutuality?: string): UpstreamResult => ({
  type: "answer",
  answer: {
    returnCode: { major: "02", minor: "77", detail: "00000" },
    kind,
    patient: mutuality ? { mutuality } : {},
  },
  xml: "<x/>",
  reference: "r",
});
const outage = (kind: OutageKind): UpstreamResult => ({ type: "outage", kind, reference: "r" });

function make(script: (patientKey: string) => UpstreamResult, options: { session?: boolean } = {}) {
  let now = Date.parse("2026-03-02T10:00:00Z");
  const sent: string[] = [];
  const upstream: Upstream = {
    async ask(_s, patient) {
      const key = `niss:${Number("niss" in patient ? patient.niss : 0)}`;
      sent.push(key);
      return script(key);
    },
  };
  const gateway = new MyCareNetGateway({
    upstream,
    sessions: {
      forConsultation: () => {
        if (options.session === false) throw new CodedError("NO_SESSION");
        return SESSION;
      },
    },
    knownMutuality: (key) => KNOWN[key],
    threshold: 3,
    probeMs: 5000,
    clock: () => new Date(now),
    logger: createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) }),
  });
  return { gateway, sent, advance: (ms: number) => (now += ms) };
}

describe("insurerOf (brochure §3.1)", () => {
  it("is the national union serving the mutuality", () => {
    expect(
      ["121", "235", "319", "407", "509", "675", "750", "999", "901", "700", undefined].map(insurerOf),
    ).toEqual(["100", "200", "300", "400", "500", "600", "600", "600", "900", undefined, undefined]);
  });
});

describe("MyCareNetGateway", () => {
  it("never counts a business answer or an unknown code toward any circuit", async () => {
    const { gateway } = make(() => answer("unknown", "121"));
    for (let i = 0; i < 5; i++) expect((await gateway.ask(q("1"))).type).toBe("answer");
    expect(gateway.snapshot()).toMatchObject({ platform: { consecutiveOutages: 0 }, silentInsurers: [] });
  });

  it("one insurer silent: its known patients go straight to the fallback, the others are asked", async () => {
    const { gateway, sent } = make((key) =>
      key === "niss:1" ? outage("insurer-silent") : answer("insured"),
    );
    for (let i = 0; i < 3; i++)
      expect(await gateway.ask(q("1"))).toMatchObject({ type: "outage", kind: "insurer-silent" });
    expect(gateway.snapshot().silentInsurers).toEqual(["100"]);
    expect(await gateway.ask(q("1"))).toMatchObject({ type: "outage", kind: "insurer-silent" });
    expect((await gateway.ask(q("3"))).type).toBe("answer");
    expect((await gateway.ask(q("5"))).type).toBe("answer");
    expect(sent).toEqual(["niss:1", "niss:1", "niss:1", "niss:3", "niss:5"]);
    expect(gateway.platform.isOpen).toBe(false);
  });

  it("timeouts of one insurer stay its own; timeouts across insurers are the platform's", async () => {
    const { gateway } = make(() => outage("timeout"));
    for (let i = 0; i < 3; i++) await gateway.ask(q("1"));
    expect(gateway.snapshot()).toMatchObject({
      platform: { consecutiveOutages: 0 },
      silentInsurers: ["100"],
    });
    await gateway.ask(q("3"));
    await gateway.ask(q("5"));
    expect(gateway.snapshot().platform.consecutiveOutages).toBe(2);
  });

  it("opens the platform circuit on transport failures, then sends nothing and asks no guard", async () => {
    const { gateway, sent, advance } = make(() => outage("reset"));
    for (let i = 0; i < 3; i++) await gateway.ask(q("3"));
    expect(gateway.platform.isOpen).toBe(true);
    let guarded = 0;
    const r = await gateway.ask(q("5"), { beforeSend: () => void guarded++ });
    expect(r).toMatchObject({ type: "outage", kind: "circuit-open" });
    expect([sent.length, guarded]).toEqual([3, 0]);
    // Half-open after the cooldown: the next consultation is sent (and guarded).
    advance(5000);
    await gateway.ask(q("5"), { beforeSend: () => void guarded++ });
    expect([sent.length, guarded]).toEqual([4, 1]);
  });

  it("a mismatched answer and a missing session concern that consultation only", async () => {
    const { gateway } = make(() => outage("mismatch"));
    for (let i = 0; i < 5; i++) await gateway.ask(q("3"));
    expect(gateway.snapshot()).toMatchObject({ platform: { consecutiveOutages: 0 }, silentInsurers: [] });
    const none = make(() => answer("insured"), { session: false });
    expect(await none.gateway.ask(q("3"))).toMatchObject({
      type: "outage",
      kind: "no-session",
      sessionCode: "NO_SESSION",
      session: null,
    });
    expect(none.sent).toEqual([]);
  });

  it("lets recalls through an open scope (bypass): that is how it learns", async () => {
    const { gateway, sent } = make((key) =>
      key === "niss:1" ? outage("insurer-silent") : answer("insured", "121"),
    );
    for (let i = 0; i < 3; i++) await gateway.ask(q("1"));
    expect((await gateway.ask(q("1"), { bypass: true })).type).toBe("outage");
    expect(sent).toHaveLength(4);
  });
});
