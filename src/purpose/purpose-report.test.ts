import { describe, expect, it } from "vitest";
import { csvCell, PURPOSE_CSV_COLUMNS, purposeReportCsv } from "./purpose-csv.js";
import { buildPurposeReport, type ReportConsultation } from "./purpose-report.js";

let n = 0;
const c = (
  patient: string,
  consultedOn: string,
  over: Partial<ReportConsultation> = {},
): ReportConsultation => ({
  id: `c-${++n}`,
  reference: `ticket-${n}`,
  patient,
  deliveryDate: consultedOn,
  consultedAt: `${consultedOn}T09:00:00.000Z`,
  consultedOn,
  principal: "counter-1",
  outcome: "online",
  confirmed: true,
  ...over,
});

const input = () => {
  n = 0;
  return {
    month: "2025-03",
    consultations: [
      c("pA", "2025-03-03"),
      c("pA", "2025-03-03", { confirmed: false }),
      c("pA", "2025-03-10"),
      c("pB", "2025-03-04", { outcome: "reused-commitment" }),
      c("pB", "2025-03-04", { outcome: "needs-pharmacist", confirmed: false }),
      c("pC", "2025-03-05"),
    ],
    rejectedByMyCareNet: 2,
    alerts: [
      {
        day: "2025-03-07",
        rule: "unconfirmed-patients" as const,
        firstAt: "2025-03-07T10:00:00Z",
        lastAt: "2025-03-07T10:05:00Z",
        refusals: 4,
        limit: 30,
      },
      {
        day: "2025-03-06",
        rule: "patient-per-day" as const,
        firstAt: "2025-03-06T08:00:00Z",
        lastAt: "2025-03-06T08:00:00Z",
        refusals: 1,
        limit: 10,
      },
    ],
    lifts: [
      {
        day: "2025-03-07",
        liftedAt: "2025-03-07T10:10:00Z",
        liftedBy: "pharmacist",
        reason: "new patient file import",
      },
    ],
    pricingOffice: [
      {
        at: "2025-03-20T09:00:00Z",
        result: "answered" as const,
        invoiceReference: "INV-1",
        reasonCode: "200820",
        deliveryDate: "2025-03-03",
        refusal: null,
      },
      {
        at: "2025-03-20T09:01:00Z",
        result: "refused" as const,
        invoiceReference: "INV-2",
        reasonCode: "100101",
        deliveryDate: "2025-03-03",
        refusal: "REASON_NOT_INSURABILITY",
      },
      {
        at: "2025-03-20T09:02:00Z",
        result: "refused" as const,
        invoiceReference: "INV-3",
        reasonCode: "200820",
        deliveryDate: "2025-03-09",
        refusal: "NO_DELIVERY_ON_RECORD",
      },
    ],
  };
};

describe("buildPurposeReport (SPEC §1.6, brochure §7.3)", () => {
  it("counts consultations, confirmed deliveries and lists the unconfirmed ones with their references", () => {
    const r = buildPurposeReport(input());
    expect(r.consultations).toEqual({
      total: 6,
      online: 4,
      fallback: 2,
      byOutcome: { online: 4, "reused-commitment": 1, "needs-pharmacist": 1 },
      recalls: 0,
      imported: { recipe: 0, portal: 0 },
      rejectedByMyCareNet: 2,
    });
    expect(r.deliveries).toEqual({ confirmed: 4, unconfirmed: 2 });
    expect(r.unconfirmed.map((u) => u.reference)).toEqual(["ticket-2", "ticket-5"]);
    expect(r.unconfirmed[1]).toEqual({
      id: "c-5",
      reference: "ticket-5",
      consultedAt: "2025-03-04T09:00:00.000Z",
      deliveryDate: "2025-03-04",
      outcome: "needs-pharmacist",
      principal: "counter-1",
    });
  });

  it("gives the per-patient maxima, ties to the earliest day", () => {
    const r = buildPurposeReport(input());
    expect(r.perPatient).toEqual({
      patients: 3,
      maxPerDay: { count: 2, day: "2025-03-03", patient: "pA" },
      maxInMonth: { count: 3, patient: "pA" },
    });
  });

  it("lists bulk alerts in time order with the day's lift", () => {
    const r = buildPurposeReport(input());
    expect(r.bulkAlerts.map((a) => [a.day, a.rule, a.lifted?.by ?? null])).toEqual([
      ["2025-03-06", "patient-per-day", null],
      ["2025-03-07", "unconfirmed-patients", "pharmacist"],
    ]);
  });

  it("sums the pricing office's use by result and refusal reason", () => {
    const r = buildPurposeReport(input());
    expect(r.pricingOffice).toMatchObject({
      answered: 1,
      refused: 2,
      rejected: 0,
      unanswered: 0,
      refusalsByReason: { REASON_NOT_INSURABILITY: 1, NO_DELIVERY_ON_RECORD: 1 },
    });
    expect(r.pricingOffice.uses).toHaveLength(3);
  });

  it("counts a recall as the fallback delivery it re-checked, confirmed with it", () => {
    const fallback = c("pD", "2025-03-12", { outcome: "last-known", reference: "T-9", confirmed: true });
    const recall = c("pD", "2025-03-12", { outcome: "online", reference: "T-9", confirmed: false });
    const other = c("pD", "2025-03-12", { outcome: "online", reference: "T-10", confirmed: false });
    const r = buildPurposeReport({ ...input(), consultations: [fallback, recall, other] });
    expect(r.consultations.recalls).toBe(1);
    expect(r.deliveries).toEqual({ confirmed: 2, unconfirmed: 1 });
    expect(r.unconfirmed.map((u) => u.reference)).toEqual(["T-10"]);
    const unconfirmedFallback = buildPurposeReport({
      ...input(),
      consultations: [{ ...fallback, confirmed: false }, recall],
    });
    expect(unconfirmedFallback.unconfirmed.map((u) => u.reference)).toEqual(["T-9", "T-9"]);
  });

  it("is empty, not absent, for a month without traffic", () => {
    const r = buildPurposeReport({
      month: "2025-04",
      consultations: [],
      rejectedByMyCareNet: 0,
      alerts: [],
      lifts: [],
      pricingOffice: [],
    });
    expect(r.consultations.total).toBe(0);
    expect(r.perPatient).toEqual({ patients: 0, maxPerDay: null, maxInMonth: null });
    expect(r.unconfirmed).toEqual([]);
  });
});

describe("the purpose report as CSV", () => {
  it("is one table with a header and one row per figure or item", () => {
    const csv = purposeReportCsv(buildPurposeReport(input()));
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(PURPOSE_CSV_COLUMNS.join(","));
    expect(lines).toContain("consultations,2025-03,,,,,,,6,,");
    expect(lines).toContain("deliveries-unconfirmed,2025-03,,,,,,,2,,");
    expect(lines).toContain(
      "unconfirmed,2025-03,2025-03-03,2025-03-03T09:00:00.000Z,ticket-2,c-2,online,,,,counter-1",
    );
    expect(lines.filter((l) => l.startsWith("bulk-alert,"))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith("pricing-office,"))).toHaveLength(3);
    expect(csv.endsWith("\r\n")).toBe(true);
  });

  it("quotes what needs quoting and defuses spreadsheet formulas", () => {
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("-12")).toBe("'-12");
    expect(csvCell(-12)).toBe("-12");
    expect(csvCell(null)).toBe("");
    expect(csvCell("line\nbreak")).toBe('"line\nbreak"');
  });
});
