// What purpose and proportionality need from the database (SPEC §1.6): the guard's counts, its
// alerts and lifts, whether a delivery is on record for the pricing office, its uses per
// rejection, and the audit entries the purpose report reads back. The SQL stays here.
import type Database from "better-sqlite3";
import { brusselsDay, type Day } from "../commitment/index.js";
import { PURPOSE_ACTIONS, type AuditAction } from "../audit-actions.js";
import type { ProportionalityRule } from "../purpose/proportionality.js";
import type { ReportAlert, ReportLift } from "../purpose/purpose-report.js";
import type { Actor, AuditEntry, AuditTrail } from "./audit.js";
import { inWriteTransaction } from "./database.js";
import type { PatientKey } from "../identifiers/patient-key.js";

/** The purpose report's rows, as the store keeps them (purpose/purpose-report.ts). */
export type ProportionalityAlertRow = ReportAlert;
export type ProportionalityLiftRow = ReportLift;

export interface RefusalInput {
  day: Day;
  rule: ProportionalityRule;
  count: number;
  limit: number;
  by: Actor;
  patientKey: PatientKey;
  at: Date;
}

/** An audit entry as the purpose report reads it (the patient is the keyed pseudonym). */
export type PurposeAuditEntry = Omit<AuditEntry, "prevHash" | "hash">;

export interface ComplianceStore {
  /** MyCareNet consultations recorded for the patient on that Brussels day. */
  consultationsOn(patientKey: PatientKey, day: Day): number;
  /** Distinct patients consulted since `since` without a confirmed delivery, and whether this one is among them. */
  unconfirmedPatientsSince(
    since: Date,
    patientKey: PatientKey,
  ): { distinct: number; includesPatient: boolean };
  /** Audited; the first refusal of a rule on a day opens the day's alert. */
  recordRefusal(input: RefusalInput): { opensAlert: boolean };
  alertsBetween(fromDay: Day, untilDay: Day): ProportionalityAlertRow[];
  /** Audited once: a second lift on the same day returns the first one. */
  lift(day: Day, by: Actor, reason: string, at: Date): { lift: ProportionalityLiftRow; created: boolean };
  liftsBetween(fromDay: Day, untilDay: Day): ProportionalityLiftRow[];
  /**
   * A delivery for this patient and date is on record: a consultation (online, or imported) or a
   * fallback delivery — not a fallback question still waiting, which decided no delivery yet.
   */
  hasDeliveryOnRecord(patientKey: PatientKey, deliveryDate: Day): boolean;
  /** Answered pricing-office consultations for this rejection key (read from the audit trail). */
  pricingOfficeUses(patientKey: PatientKey, rejectionKey: string, deliveryDate: Day): number;
  auditBetween(actions: readonly string[], from: Date, until: Date): PurposeAuditEntry[];
  countAuditBetween(action: AuditAction, from: Date, until: Date): number;
}

interface AlertRow {
  day: string;
  rule: string;
  first_at: string;
  last_at: string;
  refusals: number;
  limit_value: number;
}
interface LiftRow {
  day: string;
  lifted_at: string;
  lifted_by: string;
  reason: string;
}
interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  patient: string | null;
  detail_json: string | null;
}

const toAlert = (r: AlertRow): ProportionalityAlertRow => ({
  day: r.day,
  rule: r.rule as ProportionalityRule,
  firstAt: r.first_at,
  lastAt: r.last_at,
  refusals: r.refusals,
  limit: r.limit_value,
});
const toLift = (r: LiftRow): ProportionalityLiftRow => ({
  day: r.day,
  liftedAt: r.lifted_at,
  liftedBy: r.lifted_by,
  reason: r.reason,
});

export function complianceStore(db: Database.Database, audit: AuditTrail): ComplianceStore {
  const n = (row: { n: number } | undefined): number => row?.n ?? 0;
  const patientDay = db.prepare<[string, string], { n: number }>(
    "SELECT count(*) AS n FROM consultations WHERE patient_key = ? AND consulted_on = ?",
  );
  // A recall MyCareNet refused stores no consultation, yet it reached MyCareNet (issue 13: recall
  // traffic counts like any consultation, brochure §7.2).
  const refusedRecalls = db.prepare<[string, string, string], { at: string }>(
    `SELECT at FROM audit INDEXED BY audit_by_action WHERE action = ? AND at >= ? AND patient = ?
       AND json_extract(detail_json, '$.recall') = 1`,
  );
  // Forced onto the partial index: the window's unconfirmed rows only. Left alone, the planner
  // walks the per-patient index for the DISTINCT, i.e. the whole table (measured: 0.1 s at 200 000 rows).
  const distinct = db.prepare<[string], { n: number }>(
    `SELECT count(DISTINCT patient_key) AS n FROM consultations INDEXED BY consultations_unconfirmed
     WHERE consulted_at >= ? AND delivered_at IS NULL`,
  );
  const includes = db.prepare<[string, string], { n: number }>(
    `SELECT EXISTS (SELECT 1 FROM consultations
       WHERE consulted_at >= ? AND delivered_at IS NULL AND patient_key = ?) AS n`,
  );
  const upsertAlert = db.prepare<[AlertRow]>(
    `INSERT INTO proportionality_alerts (day, rule, first_at, last_at, refusals, limit_value)
     VALUES (@day, @rule, @first_at, @last_at, @refusals, @limit_value)
     ON CONFLICT (day, rule) DO UPDATE SET last_at = excluded.last_at, refusals = refusals + 1,
       limit_value = excluded.limit_value`,
  );
  const alertExists = db.prepare<[string, string], { n: number }>(
    "SELECT count(*) AS n FROM proportionality_alerts WHERE day = ? AND rule = ?",
  );
  const alerts = db.prepare<[string, string], AlertRow>(
    "SELECT * FROM proportionality_alerts WHERE day >= ? AND day < ? ORDER BY first_at, rule",
  );
  const getLift = db.prepare<[string], LiftRow>("SELECT * FROM proportionality_lifts WHERE day = ?");
  const insertLift = db.prepare<[LiftRow]>(
    "INSERT INTO proportionality_lifts (day, lifted_at, lifted_by, reason) VALUES (@day, @lifted_at, @lifted_by, @reason)",
  );
  const lifts = db.prepare<[string, string], LiftRow>(
    "SELECT * FROM proportionality_lifts WHERE day >= ? AND day < ? ORDER BY day",
  );
  const onRecord = db.prepare<[string, string], { n: number }>(
    `SELECT EXISTS (SELECT 1 FROM consultations WHERE patient_key = ? AND delivery_date = ?
       AND outcome <> 'needs-pharmacist') AS n`,
  );
  const uses = db.prepare<[string, string, string, string], { n: number }>(
    `SELECT count(*) AS n FROM audit WHERE action = ? AND patient = ?
       AND json_extract(detail_json, '$.rejectionKey') = ?
       AND json_extract(detail_json, '$.deliveryDate') = ?`,
  );
  const countAudit = db.prepare<[string, string, string], { n: number }>(
    "SELECT count(*) AS n FROM audit WHERE action = ? AND at >= ? AND at < ?",
  );

  return {
    consultationsOn(patientKey, day) {
      // From two hours before the UTC midnight: Brussels is UTC+1 or +2; brusselsDay decides.
      const from = new Date(Date.parse(`${day}T00:00:00Z`) - 2 * 3600_000).toISOString();
      const refused = refusedRecalls
        .all(PURPOSE_ACTIONS.consultationRejected, from, audit.pseudonym(patientKey))
        .filter((r) => brusselsDay(new Date(r.at)) === day).length;
      return n(patientDay.get(patientKey, day)) + refused;
    },
    unconfirmedPatientsSince(since, patientKey) {
      const from = since.toISOString();
      return { distinct: n(distinct.get(from)), includesPatient: n(includes.get(from, patientKey)) > 0 };
    },
    recordRefusal(input) {
      const at = input.at.toISOString();
      return inWriteTransaction(db, () => {
        const opensAlert = n(alertExists.get(input.day, input.rule)) === 0;
        upsertAlert.run({
          day: input.day,
          rule: input.rule,
          first_at: at,
          last_at: at,
          refusals: 1,
          limit_value: input.limit,
        });
        audit.append({
          actor: input.by.name,
          role: input.by.role,
          action: PURPOSE_ACTIONS.proportionalityRefused,
          patientKey: input.patientKey,
          detail: { rule: input.rule, count: input.count, limit: input.limit, opensAlert },
          at: input.at,
        });
        return { opensAlert };
      });
    },
    alertsBetween: (fromDay, untilDay) => alerts.all(fromDay, untilDay).map(toAlert),
    lift(day, by, reason, at) {
      return inWriteTransaction(db, () => {
        const existing = getLift.get(day);
        if (existing) return { lift: toLift(existing), created: false };
        const row: LiftRow = { day, lifted_at: at.toISOString(), lifted_by: by.name, reason };
        insertLift.run(row);
        audit.append({
          actor: by.name,
          role: by.role,
          action: PURPOSE_ACTIONS.proportionalityLifted,
          detail: { day, reason },
          at,
        });
        return { lift: toLift(row), created: true };
      });
    },
    liftsBetween: (fromDay, untilDay) => lifts.all(fromDay, untilDay).map(toLift),
    hasDeliveryOnRecord: (patientKey, deliveryDate) => n(onRecord.get(patientKey, deliveryDate)) > 0,
    pricingOfficeUses: (patientKey, rejectionKey, deliveryDate) =>
      n(
        uses.get(
          PURPOSE_ACTIONS.pricingOfficeConsulted,
          audit.pseudonym(patientKey),
          rejectionKey,
          deliveryDate,
        ),
      ),
    auditBetween(actions, from, until) {
      if (actions.length === 0) return [];
      const marks = actions.map(() => "?").join(", ");
      return db
        .prepare<string[], AuditRow>(
          `SELECT seq, at, actor, role, action, patient, detail_json FROM audit
           WHERE action IN (${marks}) AND at >= ? AND at < ? ORDER BY seq`,
        )
        .all(...actions, from.toISOString(), until.toISOString())
        .map((r) => ({
          seq: r.seq,
          at: r.at,
          actor: r.actor,
          role: r.role,
          action: r.action,
          patient: r.patient,
          detail: r.detail_json === null ? null : (JSON.parse(r.detail_json) as Record<string, unknown>),
        }));
    },
    countAuditBetween: (action, from, until) =>
      n(countAudit.get(action, from.toISOString(), until.toISOString())),
  };
}
