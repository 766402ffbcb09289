// The consultation routes through `app.inject` (no listening) on a scripted MyCareNet and a
// temporary store: status codes, problem+json codes and what the store holds afterwards.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { niss } from "../../store/__fixtures__/store-fixture.js";
import { insured } from "../../services/__fixtures__/scripted-upstream.js";
import { as, injectApp, type InjectApp } from "../__fixtures__/inject-app.js";

const NISS = niss("750615123");
let t: InjectApp;

beforeEach(async () => {
  t = await injectApp();
});
afterEach(() => t.close());

const consult = (payload: object, who: "dispensing" | "pharmacist" | "admin" = "dispensing") =>
  t.app.inject({ method: "POST", url: "/v1/consultations", headers: as(who), payload });

describe("POST /v1/consultations", () => {
  it("201 with the stored consultation, then 200 from memory for the same question", async () => {
    t.upstream.script(insured(NISS, "2025-03-10"));
    const first = await consult({ patient: { niss: NISS }, reference: "T-1" });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ outcome: "online", source: "online", insured: true });
    // The same prescription: the same consultation.
    const again = await consult({ patient: { niss: NISS }, reference: "T-1" });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, source: "cache" });
    // Another prescription of the same patient and day: its own consultation on the same answer
    // (issue 14), so that its delivery can be confirmed.
    const other = await consult({ patient: { niss: NISS }, reference: "T-2" });
    expect(other.statusCode).toBe(200);
    expect(other.json().id).not.toBe(first.json().id);
    expect(other.json()).toMatchObject({ reference: "T-2", source: "cache", commitmentOf: first.json().id });
    const stored = await t.app.inject({
      url: `/v1/consultations/${other.json().id}`,
      headers: as("dispensing"),
    });
    expect(stored.json()).toMatchObject({ id: other.json().id, reference: "T-2" });
    expect(t.upstream.calls).toHaveLength(1);
  });

  it("400 NISS_CHECKSUM as problem+json, MyCareNet not asked", async () => {
    const res = await consult({ patient: { niss: "85061300179" }, reference: "T" });
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.json().code).toBe("NISS_CHECKSUM");
    expect(t.upstream.calls).toEqual([]);
  });

  it("refuses the admin role before anything happens", async () => {
    const res = await consult({ patient: { niss: NISS }, reference: "T" }, "admin");
    expect(res.statusCode).toBe(403);
    expect(t.upstream.calls).toEqual([]);
  });

  it("answers from the fallback during an outage (201, needs-pharmacist)", async () => {
    t.upstream.script({ outage: "timeout" });
    const res = await consult({ patient: { niss: NISS }, reference: "T" });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ outcome: "needs-pharmacist", fallback: { reason: "timeout" } });
  });
});

describe("GET /v1/consultations/{id} and delivery", () => {
  it("reads the stored consultation back, confirms its delivery once", async () => {
    t.upstream.script(insured(NISS, "2025-03-10"));
    const { id } = (await consult({ patient: { niss: NISS }, reference: "T" })).json() as { id: string };
    const read = await t.app.inject({ url: `/v1/consultations/${id}`, headers: as("pharmacist") });
    expect(read.json()).toMatchObject({ id, source: "store", delivery: null });
    const confirm = await t.app.inject({
      method: "POST",
      url: `/v1/consultations/${id}/delivery`,
      headers: as("dispensing"),
      payload: {},
    });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.json().delivery).toMatchObject({ confirmedAt: "2025-03-10T09:30:00.000Z" });
    expect(t.w.store.getConsultation(id)?.delivery).not.toBeNull();
  });

  it("404 CONSULTATION_NOT_FOUND for an unknown id", async () => {
    const res = await t.app.inject({ url: "/v1/consultations/nope", headers: as("dispensing") });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe("CONSULTATION_NOT_FOUND");
  });
});

describe("GET /v1/commitments", () => {
  it("finds the stored commitment covering a date, 404 when none", async () => {
    t.upstream.script(insured(NISS, "2025-03-10"));
    await consult({ patient: { niss: NISS }, reference: "T" });
    const found = await t.app.inject({
      url: `/v1/commitments?niss=${NISS}&date=2025-03-10`,
      headers: as("dispensing"),
    });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toMatchObject({
      paymentApproval: "39600121923C557676D835909102871A",
      entitlement: { ct1: "110" },
    });
    const other = await t.app.inject({
      url: `/v1/commitments?niss=${niss("800101002")}&date=2025-03-10`,
      headers: as("dispensing"),
    });
    expect(other.json().code).toBe("COMMITMENT_NOT_FOUND");
  });

  it("DATE_IN_FUTURE for tomorrow (Brussels)", async () => {
    const res = await t.app.inject({
      url: `/v1/commitments?niss=${NISS}&date=2025-03-11`,
      headers: as("dispensing"),
    });
    expect(res.json().code).toBe("DATE_IN_FUTURE");
  });
});
