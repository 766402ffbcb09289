// The purpose routes through `app.inject` (SPEC §1.6): proportionality status and lift, the
// pricing office's consultation, the purpose report (JSON and CSV), purge and audit check.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_INSURABILITY_REJECTION_CODES } from "../../purpose/index.js";
import { niss } from "../../store/__fixtures__/store-fixture.js";
import { insured } from "../../services/__fixtures__/scripted-upstream.js";
import { recordMandate } from "../../services/__fixtures__/world.js";
import { as, injectApp, type InjectApp } from "../__fixtures__/inject-app.js";

const NISS = niss("750615123");
let t: InjectApp;
beforeEach(async () => {
  t = await injectApp();
});
afterEach(() => t.close());

describe("proportionality routes", () => {
  it("says ok, lifts for the day once (201 then 200), audited", async () => {
    const status = await t.app.inject({ url: "/v1/proportionality", headers: as("admin") });
    expect(status.json()).toMatchObject({ state: "ok", day: "2025-03-10" });
    const lift = () =>
      t.app.inject({
        method: "POST",
        url: "/v1/proportionality/lift",
        headers: as("pharmacist"),
        payload: { reason: "inventaire" },
      });
    const first = await lift();
    expect(first.statusCode).toBe(201);
    expect((await lift()).statusCode).toBe(200);
    expect(t.w.store.auditEntries().filter((e) => e.action === "proportionality.lifted")).toHaveLength(1);
    expect((await t.app.inject({ url: "/v1/proportionality", headers: as("pharmacist") })).json().state).toBe(
      "lifted",
    );
  });
});

describe("POST /v1/pricing-office/consultations", () => {
  const body = (reasonCode: string) => ({
    rejection: { invoiceReference: "INV-1", reasonCode, rejectedOn: "2025-03-10" },
    patient: { niss: NISS },
    deliveryDate: "2025-03-10",
  });

  const officeConsults = (payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: "POST",
      url: "/v1/pricing-office/consultations",
      headers: { ...as("office"), ...headers },
      payload,
    });

  it("403 MANDATE_REQUIRED without a mandate in force, MyCareNet not asked", async () => {
    const res = await officeConsults(body(DEFAULT_INSURABILITY_REJECTION_CODES[0] as string), {
      "accept-language": "en",
    });
    expect(res.statusCode).toBe(403);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: "PURPOSE_NOT_ALLOWED", reason: "MANDATE_REQUIRED" });
    expect(t.upstream.calls).toEqual([]);
  });

  it("answers for a delivery on record, refuses a non-insurability reason in the reader's language", async () => {
    const mandate = recordMandate(t.w);
    t.upstream.script(insured(NISS, "2025-03-10"), insured(NISS, "2025-03-10"));
    await t.app.inject({
      method: "POST",
      url: "/v1/consultations",
      headers: as("dispensing"),
      payload: { patient: { niss: NISS }, reference: "D" },
    });
    const ok = await officeConsults(body(DEFAULT_INSURABILITY_REJECTION_CODES[0] as string));
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ source: "online", insured: true, mandate: mandate.id });
    const refused = await officeConsults(body("999999"), { "accept-language": "en" });
    expect(refused.json()).toMatchObject({ code: "PURPOSE_NOT_ALLOWED", reason: "REASON_NOT_INSURABILITY" });
    expect(refused.json().detail).toMatch(/insurability/);
    // Nothing else is open to the pricing office.
    expect((await t.app.inject({ url: "/v1/recalls", headers: as("office") })).statusCode).toBe(403);
  });
});

describe("GET /v1/reports/purpose", () => {
  it("JSON by default, CSV when asked, REQUEST_INVALID for a bad month", async () => {
    const json = await t.app.inject({ url: "/v1/reports/purpose?month=2025-03", headers: as("admin") });
    expect(json.json()).toMatchObject({ month: "2025-03", consultations: { total: 0 } });
    const csv = await t.app.inject({
      url: "/v1/reports/purpose?month=2025-03",
      headers: { ...as("admin"), accept: "text/csv" },
    });
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    expect(csv.headers["content-disposition"]).toContain("purpose-2025-03.csv");
    const bad = await t.app.inject({ url: "/v1/reports/purpose?month=2025-13", headers: as("admin") });
    expect(bad.statusCode).toBe(400);
  });
});

describe("maintenance routes", () => {
  it("purges on request and verifies the audit chain, with and without a half anchor", async () => {
    const purge = await t.app.inject({ method: "POST", url: "/v1/maintenance/purge", headers: as("admin") });
    expect(purge.statusCode).toBe(200);
    const verify = await t.app.inject({ url: "/v1/audit/verify", headers: as("admin") });
    expect(verify.json()).toMatchObject({ ok: true });
    expect(verify.json().entries).toBeGreaterThan(0);
    const half = await t.app.inject({ url: "/v1/audit/verify?anchorSeq=1", headers: as("admin") });
    expect(half.json().code).toBe("REQUEST_INVALID");
    expect((await t.app.inject({ url: "/v1/audit/verify", headers: as("pharmacist") })).statusCode).toBe(403);
  });
});
