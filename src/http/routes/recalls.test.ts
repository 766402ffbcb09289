// The recall routes through `app.inject`: list, run by a pharmacist, mark a discrepancy handled.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { niss } from "../../store/__fixtures__/store-fixture.js";
import { answered, insured } from "../../services/__fixtures__/scripted-upstream.js";
import { as, injectApp, type InjectApp } from "../__fixtures__/inject-app.js";

const NISS = niss("750615123");
let t: InjectApp;

const consult = (payload: object) =>
  t.app.inject({ method: "POST", url: "/v1/consultations", headers: as("dispensing"), payload });

beforeEach(async () => {
  t = await injectApp();
  // Known with a commitment on the 3rd, then an outage today: reused, queued for recall.
  t.upstream.script(insured(NISS, "2025-03-03"), { outage: "timeout" });
  await consult({ patient: { niss: NISS }, deliveryDate: "2025-03-03", reference: "BEFORE" });
  const res = await consult({ patient: { niss: NISS }, reference: "OUTAGE" });
  expect(res.json().outcome).toBe("reused-commitment");
});
afterEach(() => t.close());

describe("recall routes", () => {
  it("lists the pending recall, runs it, and marks the discrepancy handled", async () => {
    const list = await t.app.inject({ url: "/v1/recalls?status=pending", headers: as("pharmacist") });
    expect(list.statusCode).toBe(200);
    expect(list.json().recalls).toHaveLength(1);

    t.upstream.script(answered("no-right", NISS, "2025-03-10"));
    const run = await t.app.inject({ method: "POST", url: "/v1/recalls/run", headers: as("pharmacist") });
    expect(run.statusCode).toBe(200);
    expect(run.json()).toMatchObject({ trigger: "manual", consulted: 1, pending: 0 });
    const [resolved] = run.json().resolved as Array<{ id: string; status: string }>;
    expect(resolved?.status).toBe("discrepancy");

    const handled = await t.app.inject({
      method: "POST",
      url: `/v1/recalls/${resolved?.id}/handled`,
      headers: as("pharmacist"),
    });
    expect(handled.statusCode).toBe(200);
    expect(t.w.store.listRecalls({ status: "discrepancy", handled: false })).toEqual([]);
    const entry = t.w.store
      .auditEntries()
      .find((e) => e.action.startsWith("recall.") && e.actor === "pharmacist-1");
    expect(entry).toBeDefined();
  });

  it("the counter cannot run recalls", async () => {
    const res = await t.app.inject({ method: "POST", url: "/v1/recalls/run", headers: as("dispensing") });
    expect(res.statusCode).toBe(403);
    expect(t.w.store.pendingRecalls()).toHaveLength(1);
  });
});
