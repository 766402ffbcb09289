// The consultation use case against a scripted MyCareNet, a real temporary store and a manual
// clock (SPEC §1.3, §1.4, §1.6): what is returned, what is on disk, what MyCareNet was asked.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConsultationCache } from "../cache/index.js";
import type { ConsultationView } from "../consultation/document.js";
import { CodedError } from "../errors.js";
import { niss } from "../store/__fixtures__/store-fixture.js";
import type { ConsultationService, ConsultDeps } from "./consultation.js";
import { answered, gate, insured, ScriptedUpstream } from "./__fixtures__/scripted-upstream.js";
import { consultationService, COUNTER, PHARMACIST, world, type World } from "./__fixtures__/world.js";

const NISS = niss("750615123");
const KEY = `niss:${NISS}` as const;
const TODAY = "2025-03-10";

let w: World;
let upstream: ScriptedUpstream;
let outcomes: Array<{ outcome: string; outage: string | undefined }>;

function service(over: Partial<ConsultDeps> = {}): ConsultationService {
  return consultationService(w, upstream, {
    cache: new ConsultationCache<ConsultationView>({ ttlMs: 5 * 60_000 }),
    onOutcome: (view, outage) => outcomes.push({ outcome: view.outcome, outage }),
    ...over,
  });
}

const ask = (reference = "TICKET-1", deliveryDate: string = TODAY) => ({
  patient: { niss: NISS },
  deliveryDate,
  reference,
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CodedError) return err.code;
    throw err;
  }
  throw new Error("expected a CodedError");
}

beforeEach(() => {
  w = world(`${TODAY}T09:30:00Z`);
  upstream = new ScriptedUpstream();
  outcomes = [];
});
afterEach(() => w.close());

describe("ConsultationService.consult online", () => {
  it("stores the answer, its commitment and the known patient before returning it", async () => {
    upstream.script(insured(NISS, TODAY));
    const { view, created } = await service().consult(ask(), COUNTER);
    expect(created).toBe(true);
    expect(view).toMatchObject({ outcome: "online", source: "online", insured: true, reference: "TICKET-1" });
    expect(view.commitment?.paymentApproval).toBe("39600121923C557676D835909102871A");

    const row = w.store.getConsultation(view.id);
    expect(row).toMatchObject({
      outcome: "online",
      guarantee: "payment-commitment",
      insured: true,
      principal: COUNTER.name,
      sessionUser: "12345678001",
      upstreamReference: "UP-000001",
    });
    expect(row?.upstreamXml).toContain("GetInsurabilityForPharmacistResponse");
    expect(w.store.commitmentsFor(KEY)).toHaveLength(1);
    expect(w.store.knownPatient(KEY)).toMatchObject({ insured: true, ct1: "110", mutuality: "319" });
    expect(w.store.pendingRecalls()).toEqual([]);
    expect(upstream.calls).toEqual([
      expect.objectContaining({ sessionId: "session-1", date: TODAY, userReference: "TICKET-1" }),
    ]);
    expect(w.circuit.everAnswered).toBe(true);
    expect(outcomes).toEqual([{ outcome: "online", outage: undefined }]);
  });

  it("answers the same prescription asked again from memory: the same consultation", async () => {
    upstream.script(insured(NISS, TODAY));
    const s = service();
    const first = await s.consult(ask("TICKET-1"), COUNTER);
    const again = await s.consult(ask("TICKET-1"), COUNTER);
    expect(again.created).toBe(false);
    expect(again.view).toMatchObject({ id: first.view.id, reference: "TICKET-1", source: "cache" });
    expect(upstream.calls).toHaveLength(1);
    expect(w.store.listConsultationsForMonth("2025-03")).toHaveLength(1);
  });

  it("gives another prescription answered from memory its own consultation (SPEC §1.6, issue 14)", async () => {
    upstream.script(insured(NISS, TODAY));
    const s = service();
    const first = await s.consult(ask("TICKET-1"), COUNTER);
    const second = await s.consult(ask("TICKET-2"), COUNTER);
    expect(second.created).toBe(false);
    expect(second.view.id).not.toBe(first.view.id);
    expect(second.view).toMatchObject({
      reference: "TICKET-2",
      source: "cache",
      commitmentOf: first.view.id,
      commitment: { paymentApproval: first.view.commitment?.paymentApproval },
    });
    expect(upstream.calls).toHaveLength(1);
    expect(w.store.listConsultationsForMonth("2025-03")).toHaveLength(2);
    expect(w.store.getConsultation(second.view.id)).toMatchObject({
      reference: "TICKET-2",
      outcome: "online",
    });
    // Asked a third time, the second prescription is the consultation it already has.
    expect((await s.consult(ask("TICKET-2"), COUNTER)).view.id).toBe(second.view.id);
    expect(w.store.listConsultationsForMonth("2025-03")).toHaveLength(2);
  });

  it("asks once for concurrent identical questions", async () => {
    const g = gate();
    upstream.script({ held: g.held, then: insured(NISS, TODAY) });
    const s = service();
    const both = Promise.all([s.consult(ask("A"), COUNTER), s.consult(ask("B"), COUNTER)]);
    g.open();
    const [a, b] = await both;
    expect(upstream.calls).toHaveLength(1);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    // Two prescriptions, one MyCareNet answer: the waiting one has its own id on that answer.
    const [made, shared] = a.created ? [a, b] : [b, a];
    expect(shared.view.id).not.toBe(made.view.id);
    expect(shared.view).toMatchObject({ source: "cache", commitmentOf: made.view.id });
    expect([made.view.reference, shared.view.reference].sort()).toEqual(["A", "B"]);
  });

  it("keeps a no-right answer as an answer, without commitment", async () => {
    upstream.script(answered("no-right", NISS, TODAY));
    const { view } = await service().consult(ask(), COUNTER);
    expect(view).toMatchObject({ outcome: "online", insured: false, commitment: null });
    expect(w.store.commitmentsFor(KEY)).toEqual([]);
    expect(w.store.knownPatient(KEY)).toMatchObject({ insured: false });
  });

  it("runs under the session of the pharmacist who asks when there is one", async () => {
    upstream.script(insured(NISS, TODAY));
    await service().consult(ask(), { ...PHARMACIST, nihii: "99999999001" });
    expect(upstream.calls[0]?.sessionId).toBe("session-1");
  });
});

describe("ConsultationService.consult refused before MyCareNet", () => {
  it.each([
    [{ patient: { niss: "85061300179" }, reference: "R" }, "NISS_CHECKSUM"],
    [{ patient: { niss: NISS }, deliveryDate: "2025-03-11", reference: "R" }, "DATE_IN_FUTURE"],
    [{ patient: { niss: NISS }, deliveryDate: "10/03/2025", reference: "R" }, "DATE_FORMAT"],
    [{ patient: {}, reference: "R" }, "PATIENT_IDENTIFICATION"],
  ])("%j → %s, nothing asked or stored", async (body, code) => {
    expect(await codeOf(service().consult(body, COUNTER))).toBe(code);
    expect(upstream.calls).toEqual([]);
    expect(w.store.listConsultationsForMonth("2025-03")).toEqual([]);
  });

  it("answers from the fallback with reason no-session and queues a recall, without calling MyCareNet", async () => {
    w.close();
    w = world(`${TODAY}T09:30:00Z`, { session: false });
    const { view, created } = await service().consult(ask(), COUNTER);
    expect(created).toBe(true);
    // brochure §9.3.1: no pharmacist identified is a technical reason for the fallback.
    expect(view).toMatchObject({ outcome: "needs-pharmacist", guarantee: null, session: null });
    expect(view.fallback).toMatchObject({ reason: "no-session", question: { node: 6 } });
    expect(upstream.calls).toEqual([]);
    expect(w.store.getConsultation(view.id)).toMatchObject({
      outcome: "needs-pharmacist",
      upstreamReference: null,
    });
    expect(w.store.pendingRecalls()).toEqual([expect.objectContaining({ consultationId: view.id })]);
    // A missing session says nothing of MyCareNet: the circuit counts no outage.
    expect(w.circuit.snapshot().consecutiveOutages).toBe(0);
    expect(outcomes).toEqual([{ outcome: "needs-pharmacist", outage: "no-session" }]);
  });

  it("lets the proportionality guard refuse before anything is sent", async () => {
    const asked: string[] = [];
    const guard = (r: { patientKey: string }) => {
      asked.push(r.patientKey);
      throw new CodedError("PROPORTIONALITY_LIMIT", { rule: "patient-per-day" });
    };
    expect(await codeOf(service({ guard }).consult(ask(), COUNTER))).toBe("PROPORTIONALITY_LIMIT");
    expect(asked).toEqual([KEY]);
    expect(upstream.calls).toEqual([]);
    expect(w.store.listConsultationsForMonth("2025-03")).toEqual([]);
  });
});

describe("ConsultationService.consult when MyCareNet refuses the message", () => {
  it("throws MYCARENET_REJECTED on a business fault, audits it, stores no consultation", async () => {
    upstream.script({ fault: "business" });
    expect(await codeOf(service().consult(ask(), COUNTER))).toBe("MYCARENET_REJECTED");
    expect(w.store.listConsultationsForMonth("2025-03")).toEqual([]);
    const audit = w.store.auditEntries().filter((e) => e.action === "consultation.rejected");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: COUNTER.name, role: "dispensing" });
    expect(audit[0]?.detail).toMatchObject({ code: "MYCARENET_REJECTED", upstreamReference: "UP-000001" });
    // A refusal is an answer: the circuit counts no outage.
    expect(w.circuit.snapshot().consecutiveOutages).toBe(0);
  });

  it("throws DATE_IN_FUTURE when MyCareNet says the date is ahead", async () => {
    upstream.script(answered("date-in-future", NISS, TODAY));
    expect(await codeOf(service().consult(ask(), COUNTER))).toBe("DATE_IN_FUTURE");
    expect(w.store.listConsultationsForMonth("2025-03")).toEqual([]);
  });
});

describe("ConsultationService.consult during an outage (SPEC §1.4)", () => {
  // The platform's circuit counts what says MyCareNet itself is out; "the insurer did not answer"
  // is the insurer's scope (issue 13), and an unknown patient has no insurer to count it against.
  it.each([
    [{ outage: "timeout" as const }, "timeout", 1],
    [{ fault: "system" as const }, "system-error", 1],
    [answered("insurer-unavailable", NISS, TODAY), "insurer-silent", 0],
    [{ ...insured(NISS, TODAY), status: 503 }, "http-status", 1],
  ])(
    "an unknown patient needs the pharmacist, and is queued for recall (%j)",
    async (step, kind, counted) => {
      upstream.script(step);
      const { view } = await service().consult(ask(), COUNTER);
      expect(view).toMatchObject({ outcome: "needs-pharmacist", guarantee: null });
      expect(view.fallback).toMatchObject({ reason: kind, question: { node: 6 } });
      const row = w.store.getConsultation(view.id);
      expect(row).toMatchObject({ outcome: "needs-pharmacist", upstreamReference: "UP-000001" });
      expect(row?.fallback?.reason).toBe(kind);
      expect(w.store.pendingRecalls()).toEqual([expect.objectContaining({ consultationId: view.id })]);
      expect(w.circuit.snapshot()).toMatchObject({
        consecutiveOutages: counted,
        lastOutageKind: counted === 0 ? null : kind,
        state: "closed",
      });
      expect(outcomes).toEqual([{ outcome: "needs-pharmacist", outage: kind }]);
    },
  );

  it("reuses a stored commitment that covers the date for a known patient", async () => {
    upstream.script(insured(NISS, "2025-03-03"), { outage: "connect-refused" });
    const s = service();
    const before = await s.consult(ask("EARLIER", "2025-03-03"), COUNTER);
    const { view } = await s.consult(ask("NOW"), COUNTER);
    expect(view.outcome).toBe("reused-commitment");
    expect(view.guarantee).toBe("payment-commitment");
    const row = w.store.getConsultation(view.id);
    expect(row?.reusedCommitmentId).toBe(w.store.commitmentsFor(KEY)[0]?.id);
    expect(row?.insured).toBe(true);
    expect(before.view.id).not.toBe(view.id);
  });

  it("does not keep a fallback outcome in memory: the next question is asked again", async () => {
    upstream.script({ outage: "timeout" }, insured(NISS, TODAY));
    const s = service();
    const first = await s.consult(ask("A"), COUNTER);
    const second = await s.consult(ask("B"), COUNTER);
    expect(first.view.outcome).toBe("needs-pharmacist");
    expect(second).toMatchObject({ created: true, view: { outcome: "online" } });
    expect(upstream.calls).toHaveLength(2);
  });

  it("stops asking once the circuit is open, at the default threshold", async () => {
    const s = service();
    for (let i = 0; i < 3; i++) {
      upstream.script({ outage: "timeout" });
      await s.consult({ patient: { niss: niss(`75061512${i}`) }, reference: `R${i}` }, COUNTER);
    }
    expect(w.circuit.isOpen).toBe(true);
    const { view } = await s.consult(ask("WHILE-OPEN"), COUNTER);
    expect(upstream.calls).toHaveLength(3);
    expect(view.fallback?.reason).toBe("circuit-open");
    expect(w.store.getConsultation(view.id)?.upstreamReference).toBeNull();
  });
});

describe("ConsultationService.recheck (recall)", () => {
  const input = { patient: { niss: NISS }, deliveryDate: "2025-03-07" as const, reference: "FALLBACK-1" };

  it("stores the online answer under the delivery's own date and reference", async () => {
    upstream.script(insured(NISS, "2025-03-07"));
    const result = await service().recheck(input, PHARMACIST);
    expect(result).toMatchObject({
      type: "answer",
      fromCache: false,
      view: { outcome: "online", reference: "FALLBACK-1" },
    });
    expect(upstream.calls[0]).toMatchObject({ date: "2025-03-07", userReference: "FALLBACK-1" });
    if (result.type !== "answer") throw new Error("unreachable");
    expect(w.store.getConsultation(result.view.id)).toMatchObject({
      deliveryDate: "2025-03-07",
      principal: PHARMACIST.name,
    });
  });

  it("asks even while the circuit is open, and the answer closes it", async () => {
    const s = service();
    for (let i = 0; i < 3; i++) w.circuit.recordOutage("timeout");
    upstream.script(insured(NISS, "2025-03-07"));
    await s.recheck(input, PHARMACIST);
    expect(w.circuit.isOpen).toBe(false);
  });

  it("takes an online answer in memory instead of asking again", async () => {
    upstream.script(insured(NISS, "2025-03-07"));
    const s = service();
    await s.recheck(input, PHARMACIST);
    const again = await s.recheck({ ...input, reference: "FALLBACK-2" }, PHARMACIST);
    expect(again).toMatchObject({ type: "answer", fromCache: true });
    expect(upstream.calls).toHaveLength(1);
  });

  it("reports an outage without falling back or storing anything", async () => {
    upstream.script({ outage: "reset" });
    expect(await service().recheck(input, PHARMACIST)).toEqual({ type: "outage", kind: "reset" });
    expect(w.store.listConsultationsForMonth("2025-03")).toEqual([]);
    expect(w.circuit.snapshot().consecutiveOutages).toBe(1);
  });

  it("reports a rejection and audits it as a recall", async () => {
    upstream.script({ fault: "business" });
    // The refusal is MyCareNet's own code, kept for the pharmacist if the recall is left to them.
    expect(await service().recheck(input, PHARMACIST)).toEqual({
      type: "rejected",
      code: "MYCARENET_REJECTED",
      refusal: "SOA-03006",
    });
    const entry = w.store.auditEntries().find((e) => e.action === "consultation.rejected");
    expect(entry?.detail).toMatchObject({ recall: true, upstreamReference: "UP-000001" });
  });
});
