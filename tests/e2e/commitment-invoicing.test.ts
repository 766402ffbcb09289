// The commitment the pharmacy invoices with (issue 14), end to end against the simulator at the
// default settings: the window the daemon relies on is the rule's (brochure §5.2) when MyCareNet
// answers a longer period (the simulator's long-period fault, its own computation), reuse during
// an outage keeps to it (§5.3), a later "no right" ends older commitments, the recall's online
// commitment reaches the dispensing software through GET /v1/consultations/{id} and the change
// feed, and each delivery is confirmed once, on its own day.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, brusselsDay } from "../../src/commitment/index.js";
import { documentFixture, ENTITLEMENT_110 } from "../../src/consultation/__fixtures__/document.js";
import { patientKeyOf } from "../../src/identifiers/patient-key.js";
import { SCENARIO_NISS } from "../../src/simulator/index.js";
import { startStack, type Stack } from "../support/stack.js";

const today = brusselsDay(new Date());
const day = (n: number) => addDays(today, n);
const compact = (d: string) => d.replaceAll("-", "");
const { ordinary, preferential, noRight, transfer } = SCENARIO_NISS;

let stack: Stack;
let counter = 0;
const consult = async (niss: string, deliveryDate: string, reference = `inv-${++counter}`) =>
  stack.request("POST", "/v1/consultations", { body: { patient: { niss }, deliveryDate, reference } });
const get = async (id: string) => (await stack.request("GET", `/v1/consultations/${id}`)).json;
const deliver = async (id: string, deliveredOn?: string) =>
  stack.request("POST", `/v1/consultations/${id}/delivery`, {
    body: deliveredOn === undefined ? {} : { deliveredOn },
  });
const stored = async (niss: string, date: string) =>
  stack.request("GET", `/v1/commitments?niss=${niss}&date=${date}`);
const changes = async (since?: string) =>
  (
    await stack.request("GET", `/v1/consultations/changes${since === undefined ? "" : `?since=${since}`}`, {
      token: stack.tokens.pharmacist,
    })
  ).json as {
    cursor: string;
    items: Array<{ change: string; at: string; consultation: { id: string; recall: unknown } }>;
  };

async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ids: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack();
  // MyCareNet answers start + 60 days for these two patients (the simulator's own computation).
  stack.demo.simulator.faults.set({
    all: { kind: "long-period", period: "start-plus-60", patients: [ordinary, preferential] },
  });
  await stack.demo.simulator.settled();
});
afterAll(() => stack.stop());

describe("a period longer than the rule (COVERAGE_MISMATCH)", () => {
  it("keeps MyCareNet's period for the invoice and relies on the rule's window", async () => {
    const res = await consult(preferential, day(-10));
    expect(res.status).toBe(201);
    ids["b"] = res.json.id;
    expect(res.json.warnings.map((w: { code: string }) => w.code)).toContain("COVERAGE_MISMATCH");
    expect(res.json.commitment).toMatchObject({
      coverage: { start: day(-10), end: day(50) },
      window: { start: day(-10), end: day(20) },
      consultedOn: today,
      reusableUntil: day(20),
    });
    expect(res.json.invoice).toEqual({
      basis: "consultation",
      paymentApproval: res.json.commitment.paymentApproval,
      paymentApprovalSeed: res.json.commitment.paymentApprovalSeed,
      invoicingOfficeCheckDigit: res.json.commitment.invoicingOfficeCheckDigit,
      consultationDate: compact(today),
      consultationId: res.json.id,
    });
    expect(res.json.invoice.paymentApproval).toHaveLength(32);
    expect(res.json.invoice.paymentApprovalSeed).toHaveLength(10);
    expect(res.json.invoice.invoicingOfficeCheckDigit).toHaveLength(2);
  });

  it("a window that ends before the consultation day is never reusable, whatever MyCareNet sent", async () => {
    const res = await consult(ordinary, day(-40));
    ids["a"] = res.json.id;
    expect(res.json.warnings.map((w: { code: string }) => w.code)).toContain("COVERAGE_MISMATCH");
    expect(res.json.commitment).toMatchObject({
      coverage: { start: day(-40), end: day(20) },
      window: { start: day(-40), end: day(-10) },
      reusableUntil: null,
    });
  });

  it("GET /v1/commitments: what is stored, not a guarantee while MyCareNet answers, audited", async () => {
    const found = await stored(preferential, today);
    expect(found.status).toBe(200);
    expect(found.json).toMatchObject({
      consultationId: ids["b"],
      date: today,
      servesNewDelivery: false,
      coverage: { end: day(50) },
      window: { end: day(20) },
      reusableUntil: day(20),
    });
    const [entry] = stack.daemon.store.auditEntries(stack.daemon.store.auditHead().seq);
    expect(entry).toMatchObject({
      action: "commitment.looked-up",
      actor: "counter-1",
      detail: { date: today, found: ids["b"], servesNewDelivery: false },
    });
    // MyCareNet's period covers today for the ordinary patient; the rule's window does not.
    expect((await stored(ordinary, today)).json.code).toBe("COMMITMENT_NOT_FOUND");
    expect(stack.daemon.store.auditEntries(stack.daemon.store.auditHead().seq)[0]).toMatchObject({
      action: "commitment.looked-up",
      detail: { found: null },
    });
  });
});

describe("a later online answer without right", () => {
  it("stops an older commitment from serving the dates it covers", async () => {
    // A commitment obtained yesterday, as an online consultation would have stored it.
    stack.daemon.store.recordConsultation({
      reference: "older",
      patientKey: patientKeyOf({ niss: noRight }),
      deliveryDate: day(-1),
      consultedAt: new Date(Date.now() - 24 * 3600_000),
      principal: "counter-1",
      role: "dispensing",
      outcome: "online",
      guarantee: "payment-commitment",
      insured: true,
      answer: documentFixture({ reference: "older", deliveryDate: day(-1), entitlement: ENTITLEMENT_110 }),
      commitment: {
        paymentApproval: "OLDER".padEnd(32, "0"),
        paymentApprovalSeed: "SEED000000",
        invoicingOfficeCheckDigit: "42",
        coverage: { start: day(-1), end: day(29) },
        ct1: "110",
        ct2: "110",
        mutuality: "228",
        regime: "standard",
      },
      knownPatient: { insured: true, ct1: "110", ct2: "110", mutuality: "228", regime: "standard" },
    });
    expect((await stored(noRight, today)).status).toBe(200);
    const answer = await consult(noRight, today);
    expect(answer.json).toMatchObject({ insured: false, reason: "NO_RIGHT_AT_DATE", invoice: null });
    expect((await stored(noRight, today)).json.code).toBe("COMMITMENT_NOT_FOUND");
    // It says nothing of the day before.
    expect((await stored(noRight, day(-1))).json).toMatchObject({ window: { end: day(29) } });
  });
});

describe("deliveries", () => {
  it("a second prescription answered from the cache is a delivery of its own", async () => {
    const second = await consult(ordinary, day(-40), "inv-second-prescription");
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({
      source: "cache",
      reference: "inv-second-prescription",
      commitmentOf: ids["a"],
      invoice: { basis: "consultation", consultationId: ids["a"] },
    });
    expect(second.json.id).not.toBe(ids["a"]);
    ids["a2"] = second.json.id;
    // The same prescription again is the same consultation.
    const again = await consult(ordinary, day(-40), "inv-second-prescription");
    expect(again.json.id).toBe(second.json.id);
  });

  it("keeps the day delivered, once; the same confirmation is idempotent, another one 409", async () => {
    const a = ids["a"] as string;
    const first = await deliver(a, day(-39));
    expect([first.status, first.json.delivery.deliveredOn]).toEqual([200, day(-39)]);
    const same = await deliver(a, day(-39));
    expect([same.status, same.json.delivery]).toEqual([200, first.json.delivery]);
    const other = await deliver(a, day(-38));
    expect([other.status, other.json.code, other.json.deliveredOn]).toEqual([
      409,
      "DELIVERY_ALREADY_CONFIRMED",
      day(-39),
    ]);

    const a2 = ids["a2"] as string;
    const early = await deliver(a2, day(-41));
    expect([early.status, early.json.code]).toEqual([422, "DELIVERED_BEFORE_DELIVERY_DATE"]);
    const later = await deliver(a2, day(1));
    expect([later.status, later.json.code]).toEqual([422, "DELIVERED_IN_FUTURE"]);
    expect((await get(a2)).delivery).toBeNull();
    const byDefault = await deliver(a2);
    expect(byDefault.json.delivery.deliveredOn).toBe(today);
    expect((await get(a2)).delivery.deliveredOn).toBe(today);
  });

  it("the purpose report lists the deliveries made on another day than consulted for", async () => {
    const report = (
      await stack.request("GET", `/v1/reports/purpose?month=${today.slice(0, 7)}`, {
        token: stack.tokens.pharmacist,
      })
    ).json;
    expect(report.deliveredOnAnotherDay).toEqual([
      { id: ids["a"], reference: expect.any(String), deliveryDate: day(-40), deliveredOn: day(-39) },
      { id: ids["a2"], reference: "inv-second-prescription", deliveryDate: day(-40), deliveredOn: today },
    ]);
  });
});

describe("an outage, then the recall", () => {
  let cursor = "";

  it("during the outage: reuse stops at the rule's window, and the stored commitment serves", async () => {
    stack.demo.simulator.faults.set({ all: { kind: "down" } });
    await stack.demo.simulator.settled();
    // MyCareNet's period (until today + 20) would cover today; the rule's window ended at today - 10.
    const notReused = await consult(ordinary, today);
    expect(notReused.json).toMatchObject({
      outcome: "needs-pharmacist",
      commitment: null,
      invoice: null,
      fallback: { path: [1, 2, 3, 4, 5] },
    });
    ids["fallbackA"] = notReused.json.id;
    const reused = await consult(preferential, today);
    expect(reused.json).toMatchObject({
      outcome: "reused-commitment",
      commitmentOf: ids["b"],
      commitment: { coverage: { end: day(50) }, window: { end: day(20) }, reusableUntil: day(20) },
      invoice: { basis: "reuse", consultationId: ids["b"], consultationDate: compact(today) },
    });
    ids["fallbackB"] = reused.json.id;
    await consult(transfer, today);
    expect(stack.daemon.circuit.isOpen).toBe(true);
    expect((await stored(preferential, today)).json).toMatchObject({ servesNewDelivery: true });

    const answered = await stack.request("POST", `/v1/consultations/${ids["fallbackA"]}/fallback-answers`, {
      token: stack.tokens.pharmacist,
      body: { answers: [{ node: 5, answer: true }] },
    });
    expect(answered.json).toMatchObject({ outcome: "last-known", recall: null, invoice: null });
    cursor = (await changes()).cursor;
  });

  it("once MyCareNet answers: the fallback delivery shows the online commitment, the feed says so", async () => {
    stack.demo.simulator.faults.clear();
    await stack.demo.simulator.settled();
    await stack.request("POST", "/v1/recalls/run", { token: stack.tokens.pharmacist });
    const a = await until(async () => {
      const c = await get(ids["fallbackA"] as string);
      return c.recall === null ? undefined : c;
    }, "the recall of the last-known delivery");
    expect(a).toMatchObject({
      outcome: "last-known",
      recall: {
        state: "confirmed",
        differences: [],
        commitment: { coverage: { start: today, end: day(30) }, window: { start: today, end: day(30) } },
      },
      invoice: { basis: "recall", consultationDate: compact(today) },
    });
    expect(a.invoice.consultationId).toBe(a.recall.consultationId);
    expect(a.invoice.paymentApproval).toBe(a.recall.commitment.paymentApproval);
    expect(Date.parse(a.recall.checkedAt)).not.toBeNaN();

    const b = await until(async () => {
      const c = await get(ids["fallbackB"] as string);
      return c.recall === null ? undefined : c;
    }, "the recall of the reused commitment");
    // The commitment obtained online replaces the reused one on the invoice.
    expect(b.invoice).toMatchObject({ basis: "recall", consultationId: b.recall.consultationId });
    expect(b.commitmentOf).toBe(ids["b"]);

    const feed = await changes(cursor);
    expect(feed.items.map((i) => [i.change, i.consultation.id]).sort()).toEqual(
      [
        ["recall-resolved", ids["fallbackA"]],
        ["recall-resolved", ids["fallbackB"]],
      ].sort(),
    );
    expect(feed.items.every((i) => i.consultation.recall !== null)).toBe(true);
    const quiet = await changes(feed.cursor);
    expect(quiet).toEqual({ items: [], cursor: feed.cursor });

    await deliver(ids["fallbackA"] as string);
    const next = await changes(feed.cursor);
    expect(next.items.map((i) => [i.change, i.consultation.id])).toEqual([
      ["delivery-confirmed", ids["fallbackA"]],
    ]);

    // Without a cursor: from the start of the retention period, oldest first.
    const all = await changes();
    expect(all.items.map((i) => i.change)).toEqual([
      "delivery-confirmed",
      "delivery-confirmed",
      "recall-resolved",
      "recall-resolved",
      "delivery-confirmed",
    ]);
    expect(all.items[0]?.consultation.id).toBe(ids["a"]);
    expect(all.cursor).toBe(next.cursor);

    const bad = await stack.request("GET", "/v1/consultations/changes?since=abc");
    expect([bad.status, bad.json.code]).toEqual([400, "CHANGES_CURSOR_INVALID"]);
  });
});
