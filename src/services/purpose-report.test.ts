// The purpose report read from a temporary store (SPEC §1.6): one Brussels month of
// consultations, pricing-office uses, MyCareNet refusals and bulk alerts, the patient only as
// a pseudonym, nothing of the months around it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PURPOSE_ACTIONS } from "../purpose/index.js";
import type { PatientKey } from "../identifiers/patient-key.js";
import { fallbackRecord, niss, onlineRecord } from "../store/__fixtures__/store-fixture.js";
import { purposeReportFor } from "./purpose-report.js";
import { COUNTER, PHARMACIST, world, type World } from "./__fixtures__/world.js";

const A: PatientKey = `niss:${niss("750615123")}`;
const B: PatientKey = `niss:${niss("800101002")}`;

let w: World;

beforeEach(() => {
  w = world("2025-03-31T12:00:00Z");
  const s = w.store;
  // 1 March 00:30 in Brussels is still February in UTC: it belongs to March.
  const first = s.recordConsultation(
    onlineRecord({
      reference: "R1",
      patientKey: A,
      deliveryDate: "2025-03-01",
      consultedAt: new Date("2025-02-28T23:30:00Z"),
    }),
  );
  s.confirmDelivery(first, PHARMACIST, new Date("2025-03-01T08:00:00Z"));
  s.recordConsultation(
    onlineRecord({
      reference: "R2",
      patientKey: A,
      deliveryDate: "2025-03-05",
      consultedAt: new Date("2025-03-05T10:00:00Z"),
      commitment: undefined,
    }),
  );
  s.recordConsultation(
    fallbackRecord({
      reference: "R3",
      patientKey: B,
      deliveryDate: "2025-03-05",
      consultedAt: new Date("2025-03-05T11:00:00Z"),
    }),
  );
  // 1 April 00:30 in Brussels: April, though still 31 March in UTC.
  s.recordConsultation(
    onlineRecord({
      reference: "R4",
      patientKey: B,
      deliveryDate: "2025-04-01",
      consultedAt: new Date("2025-03-31T22:30:00Z"),
      commitment: undefined,
    }),
  );
  const at = new Date("2025-03-06T09:00:00Z");
  s.appendAudit({
    actor: "office-1",
    role: "pricing-office",
    action: PURPOSE_ACTIONS.pricingOfficeConsulted,
    patientKey: A,
    detail: { invoiceReference: "INV-1", reasonCode: "ABC", deliveryDate: "2025-03-05" },
    at,
  });
  s.appendAudit({
    actor: "office-1",
    role: "pricing-office",
    action: PURPOSE_ACTIONS.pricingOfficeRefused,
    patientKey: A,
    detail: {
      invoiceReference: "INV-2",
      reasonCode: "XYZ",
      deliveryDate: "2025-03-05",
      reason: "REASON_NOT_INSURABILITY",
    },
    at,
  });
  s.appendAudit({
    actor: COUNTER.name,
    role: "dispensing",
    action: PURPOSE_ACTIONS.consultationRejected,
    patientKey: B,
    detail: { code: "MYCARENET_REJECTED" },
    at,
  });
  s.appendAudit({
    actor: COUNTER.name,
    role: "dispensing",
    action: PURPOSE_ACTIONS.consultationRejected,
    patientKey: B,
    detail: { code: "MYCARENET_REJECTED" },
    at: new Date("2025-04-02T09:00:00Z"),
  });
  s.compliance.recordRefusal({
    day: "2025-03-07",
    rule: "patient-per-day",
    count: 10,
    limit: 10,
    by: COUNTER,
    patientKey: A,
    at: new Date("2025-03-07T10:00:00Z"),
  });
  s.compliance.lift("2025-03-07", PHARMACIST, "inventaire", new Date("2025-03-07T10:05:00Z"));
});
afterEach(() => w.close());

describe("purposeReportFor", () => {
  it("reads the Brussels month only", () => {
    const report = purposeReportFor(w.store, "2025-03");
    expect(report.month).toBe("2025-03");
    expect(report.consultations).toMatchObject({ total: 3, online: 2, fallback: 1, rejectedByMyCareNet: 1 });
    expect(report.deliveries).toEqual({ confirmed: 1, unconfirmed: 2 });
    expect(report.unconfirmed.map((u) => u.reference).sort()).toEqual(["R2", "R3"]);
    expect(report.perPatient.patients).toBe(2);
    expect(report.perPatient.maxInMonth?.count).toBe(2);
  });

  it("lists pricing-office uses with their result and refusal reason", () => {
    const { pricingOffice } = purposeReportFor(w.store, "2025-03");
    expect(pricingOffice).toMatchObject({
      answered: 1,
      refused: 1,
      rejected: 0,
      unanswered: 0,
      refusalsByReason: { REASON_NOT_INSURABILITY: 1 },
    });
    expect(pricingOffice.uses).toEqual([
      expect.objectContaining({
        result: "answered",
        invoiceReference: "INV-1",
        reasonCode: "ABC",
        deliveryDate: "2025-03-05",
        refusal: null,
      }),
      expect.objectContaining({
        result: "refused",
        invoiceReference: "INV-2",
        refusal: "REASON_NOT_INSURABILITY",
      }),
    ]);
  });

  it("joins the day's bulk alert with its lift", () => {
    const { bulkAlerts } = purposeReportFor(w.store, "2025-03");
    expect(bulkAlerts).toEqual([
      expect.objectContaining({
        day: "2025-03-07",
        rule: "patient-per-day",
        lifted: expect.objectContaining({ by: PHARMACIST.name, reason: "inventaire" }),
      }),
    ]);
    expect(purposeReportFor(w.store, "2025-02").bulkAlerts).toEqual([]);
  });

  it("names patients by one stable pseudonym, never by their NISS", () => {
    const report = purposeReportFor(w.store, "2025-03");
    const text = JSON.stringify(report);
    expect(text).not.toContain(A.slice(5));
    expect(text).not.toContain(B.slice(5));
    expect(report.perPatient.maxInMonth?.patient).toBe(w.store.patientPseudonym(A));
  });

  it("puts the April consultation and refusal in April", () => {
    const april = purposeReportFor(w.store, "2025-04");
    expect(april.consultations).toMatchObject({ total: 1, rejectedByMyCareNet: 1 });
    expect(april.pricingOffice.uses).toEqual([]);
  });
});
