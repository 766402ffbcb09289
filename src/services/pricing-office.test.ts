// The pricing office's consultation (SPEC §1.6, brochure §8.2.2.7) against a scripted MyCareNet
// and a temporary store: refused before anything leaves, online only, and one audit entry as the
// only trace — no consultation, commitment or known patient stored. The office works under the
// titular pharmacist's mandate (issue 16), recorded in each test's store.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_INSURABILITY_REJECTION_CODES } from "../purpose/index.js";
import { CodedError } from "../errors.js";
import { niss, onlineRecord } from "../store/__fixtures__/store-fixture.js";
import { PricingOfficeService, type PricingOfficeBody } from "./pricing-office.js";
import { answered, insured, ScriptedUpstream } from "./__fixtures__/scripted-upstream.js";
import { gatewayOf, OFFICE, PHARMACIST, recordMandate, world, type World } from "./__fixtures__/world.js";
import type { Principal } from "../actors.js";
import type { Mandate } from "../purpose/mandate.js";

const NISS = niss("750615123");
const KEY = `niss:${NISS}` as const;
const REASON = DEFAULT_INSURABILITY_REJECTION_CODES[0] as string;

let w: World;
let upstream: ScriptedUpstream;
let results: string[];
let service: PricingOfficeService;
let mandate: Mandate;

const body = (
  over: Partial<PricingOfficeBody["rejection"]> = {},
  deliveryDate = "2025-03-03",
): PricingOfficeBody => ({
  rejection: { invoiceReference: "INV-2025-0001", reasonCode: REASON, rejectedOn: "2025-03-08", ...over },
  patient: { niss: NISS },
  deliveryDate,
});

async function codeOf(p: Promise<unknown>): Promise<{ code: string; detail: unknown }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof CodedError) return { code: err.code, detail: err.detail };
    throw err;
  }
  throw new Error("expected a CodedError");
}

const auditOf = (prefix: string) => w.store.auditEntries().filter((e) => e.action.startsWith(prefix));

beforeEach(() => {
  w = world("2025-03-10T09:30:00Z");
  upstream = new ScriptedUpstream();
  results = [];
  service = new PricingOfficeService({
    gateway: gatewayOf(w, upstream),
    store: w.store,
    policy: { insurabilityReasons: new Set(DEFAULT_INSURABILITY_REJECTION_CODES), maxUsesPerRejection: 2 },
    clock: w.clock.now,
    onResult: (kind) => results.push(kind),
  });
  mandate = recordMandate(w);
  // The delivery the pharmacy made: the only one the pricing office may ask about.
  w.store.recordConsultation(
    onlineRecord({
      patientKey: KEY,
      deliveryDate: "2025-03-03",
      consultedAt: new Date("2025-03-03T10:00:00Z"),
    }),
  );
});
afterEach(() => w.close());

describe("PricingOfficeService.consult answered", () => {
  it("returns MyCareNet's answer and keeps only the audit entry", async () => {
    upstream.script(insured(NISS, "2025-03-03"));
    const consultationsBefore = w.store.listConsultationsForMonth("2025-03").length;
    const commitmentsBefore = w.store.commitmentsFor(KEY).length;
    const answer = await service.consult(body(), OFFICE);
    expect(answer).toMatchObject({
      source: "online",
      insured: true,
      deliveryDate: "2025-03-03",
      rejection: { invoiceReference: "INV-2025-0001", reasonCode: REASON, rejectedOn: "2025-03-08" },
      commitment: { paymentApproval: "39600121923C557676D835909102871A" },
    });
    expect(answer.commitment).not.toHaveProperty("reusableUntil");
    // brochure §8.2.2.5: the mandator stays responsible, so the use names the mandate.
    expect(answer.mandate).toBe(mandate.id);
    expect(upstream.calls).toEqual([
      expect.objectContaining({ date: "2025-03-03", userReference: undefined }),
    ]);
    const audit = auditOf("pricing-office.");
    expect(audit).toEqual([
      expect.objectContaining({
        seq: answer.auditEntry,
        action: "pricing-office.consulted",
        actor: "office-1",
      }),
    ]);
    expect(audit[0]?.detail).toMatchObject({
      invoiceReference: "INV-2025-0001",
      upstreamReference: "UP-000001",
      insured: true,
      mandate: mandate.id,
    });
    expect(w.store.listConsultationsForMonth("2025-03")).toHaveLength(consultationsBefore);
    expect(w.store.commitmentsFor(KEY)).toHaveLength(commitmentsBefore);
    expect(results).toEqual(["answered"]);
  });

  it("allows a limited number of answered uses per rejection, then refuses", async () => {
    upstream.script(insured(NISS, "2025-03-03"), answered("no-right", NISS, "2025-03-03"));
    await service.consult(body(), OFFICE);
    await service.consult(body(), OFFICE);
    const r = await codeOf(service.consult(body(), OFFICE));
    expect(r).toMatchObject({ code: "PURPOSE_NOT_ALLOWED", detail: { reason: "REJECTION_USES_EXHAUSTED" } });
    expect(upstream.calls).toHaveLength(2);
    // Another rejection of the same delivery is a new purpose.
    upstream.script(insured(NISS, "2025-03-03"));
    await service.consult(body({ invoiceReference: "INV-2025-0002" }), OFFICE);
    expect(upstream.calls).toHaveLength(3);
  });

  it("asks even while the circuit is open, and the answer closes it", async () => {
    for (let i = 0; i < 3; i++) w.circuit.recordOutage("timeout");
    upstream.script(insured(NISS, "2025-03-03"));
    await service.consult(body(), OFFICE);
    expect(w.circuit.isOpen).toBe(false);
  });
});

describe("PricingOfficeService.consult refused before MyCareNet", () => {
  const otherMandatary: Principal = { ...OFFICE, mandatary: { kind: "company", id: "0202239951" } };
  const revoke = () => w.store.mandates.revoke(mandate.id, PHARMACIST, w.clock.now(), () => undefined);
  it.each([
    ["no mandatary", { name: "office-1", role: "pricing-office" } as Principal, () => undefined],
    ["another mandatary than the mandate's", otherMandatary, () => undefined],
    ["a revoked mandate", OFFICE, revoke],
    [
      "a mandate not yet in force",
      OFFICE,
      () => {
        revoke();
        recordMandate(w, { validFrom: "2025-03-11" });
      },
    ],
  ])("PURPOSE_NOT_ALLOWED MANDATE_REQUIRED with %s, audited as refused", async (_, who, setUp) => {
    setUp();
    const r = await codeOf(service.consult(body(), who));
    expect(r).toEqual({ code: "PURPOSE_NOT_ALLOWED", detail: { reason: "MANDATE_REQUIRED" } });
    expect(upstream.calls).toEqual([]);
    const audit = auditOf("pricing-office.");
    expect(audit).toEqual([expect.objectContaining({ action: "pricing-office.refused", actor: "office-1" })]);
    expect(audit[0]?.detail).toMatchObject({ reason: "MANDATE_REQUIRED", invoiceReference: "INV-2025-0001" });
    expect(results).toEqual(["refused"]);
  });

  it.each([
    [body({ reasonCode: "999999" }), "REASON_NOT_INSURABILITY"],
    [body({ rejectedOn: "2025-03-01" }), "REJECTION_BEFORE_DELIVERY"],
    [body({}, "2025-03-04"), "NO_DELIVERY_ON_RECORD"],
  ])("PURPOSE_NOT_ALLOWED %#, audited as refused", async (b, reason) => {
    const r = await codeOf(service.consult(b, OFFICE));
    expect(r).toMatchObject({ code: "PURPOSE_NOT_ALLOWED", detail: { reason } });
    expect(upstream.calls).toEqual([]);
    const audit = auditOf("pricing-office.");
    expect(audit).toEqual([expect.objectContaining({ action: "pricing-office.refused" })]);
    expect(audit[0]?.detail).toMatchObject({ reason });
    expect(results).toEqual(["refused"]);
  });

  it.each([
    [body({}, "03/03/2025"), "DATE_FORMAT"],
    [body({ rejectedOn: "2025-3-8" }), "DATE_FORMAT"],
    [body({}, "2025-03-11"), "DATE_IN_FUTURE"],
    [body({ invoiceReference: `INV-${NISS}` }), "REQUEST_INVALID"],
  ])("%# → %s, nothing asked, nothing audited", async (b, code) => {
    expect((await codeOf(service.consult(b, OFFICE))).code).toBe(code);
    expect(upstream.calls).toEqual([]);
    expect(auditOf("pricing-office.")).toEqual([]);
  });
});

describe("PricingOfficeService.consult when MyCareNet gives no answer", () => {
  it("an outage: PRICING_OFFICE_UNAVAILABLE, counted by the circuit, audited, no fallback", async () => {
    // A refused connection is the platform's (a timeout of this known patient would be its
    // insurer's scope only, issue 13).
    upstream.script({ outage: "connect-refused" });
    const r = await codeOf(service.consult(body(), OFFICE));
    expect(r).toEqual({ code: "PRICING_OFFICE_UNAVAILABLE", detail: { outage: "connect-refused" } });
    expect(w.circuit.snapshot().consecutiveOutages).toBe(1);
    expect(w.store.pendingRecalls()).toEqual([]);
    expect(auditOf("pricing-office.").map((e) => e.action)).toEqual(["pricing-office.unanswered"]);
    expect(results).toEqual(["unanswered"]);
  });

  it("a business fault: MyCareNet's code, audited as rejected, no use counted", async () => {
    upstream.script({ fault: "business" }, insured(NISS, "2025-03-03"), insured(NISS, "2025-03-03"));
    expect((await codeOf(service.consult(body(), OFFICE))).code).toBe("MYCARENET_REJECTED");
    expect(auditOf("pricing-office.").map((e) => e.action)).toEqual(["pricing-office.rejected"]);
    await service.consult(body(), OFFICE);
    await service.consult(body(), OFFICE);
    expect(upstream.calls).toHaveLength(3);
  });
});
