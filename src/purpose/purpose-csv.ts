// The purpose report as one CSV table (Accept: text/csv), for a spreadsheet: one row per figure
// or listed item, the first column saying which. RFC 4180 quoting; a cell that a spreadsheet
// would run as a formula (= + - @ and control characters first) is prefixed with a quote, since
// references come from other programs.
import type { PurposeReport } from "./purpose-report.js";

export const PURPOSE_CSV_COLUMNS = [
  "kind",
  "month",
  "day",
  "at",
  "reference",
  "consultation",
  "outcome",
  "rule",
  "count",
  "limit",
  "detail",
] as const;

type Column = (typeof PURPOSE_CSV_COLUMNS)[number];
type Row = Partial<Record<Column, string | number | null>>;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function purposeReportCsv(report: PurposeReport): string {
  const m = report.month;
  const rows: Row[] = [
    { kind: "consultations", month: m, count: report.consultations.total },
    { kind: "consultations-online", month: m, count: report.consultations.online },
    { kind: "consultations-fallback", month: m, count: report.consultations.fallback },
    { kind: "rejected-by-mycarenet", month: m, count: report.consultations.rejectedByMyCareNet },
    { kind: "deliveries-confirmed", month: m, count: report.deliveries.confirmed },
    { kind: "deliveries-unconfirmed", month: m, count: report.deliveries.unconfirmed },
    { kind: "patients", month: m, count: report.perPatient.patients },
  ];
  for (const [outcome, count] of Object.entries(report.consultations.byOutcome).sort()) {
    rows.push({ kind: "consultations-by-outcome", month: m, outcome, count });
  }
  const { maxPerDay, maxInMonth } = report.perPatient;
  if (maxPerDay)
    rows.push({
      kind: "max-per-patient-day",
      month: m,
      day: maxPerDay.day,
      count: maxPerDay.count,
      detail: maxPerDay.patient,
    });
  if (maxInMonth)
    rows.push({
      kind: "max-per-patient-month",
      month: m,
      count: maxInMonth.count,
      detail: maxInMonth.patient,
    });
  for (const u of report.unconfirmed) {
    rows.push({
      kind: "unconfirmed",
      month: m,
      day: u.deliveryDate,
      at: u.consultedAt,
      reference: u.reference,
      consultation: u.id,
      outcome: u.outcome,
      detail: u.principal,
    });
  }
  for (const a of report.bulkAlerts) {
    rows.push({
      kind: "bulk-alert",
      month: m,
      day: a.day,
      at: a.firstAt,
      rule: a.rule,
      count: a.refusals,
      limit: a.limit,
      detail: a.lifted ? `lifted by ${a.lifted.by} at ${a.lifted.at}: ${a.lifted.reason}` : null,
    });
  }
  for (const u of report.pricingOffice.uses) {
    rows.push({
      kind: "pricing-office",
      month: m,
      day: u.deliveryDate,
      at: u.at,
      reference: u.invoiceReference,
      outcome: u.result,
      rule: u.reasonCode,
      detail: u.refusal,
    });
  }
  const lines = [PURPOSE_CSV_COLUMNS.join(",")];
  for (const row of rows) lines.push(PURPOSE_CSV_COLUMNS.map((c) => csvCell(row[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
