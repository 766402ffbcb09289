// Schema migrations: numbered SQL steps, applied in order, each in its own transaction together
// with `PRAGMA user_version` (the schema version). A step is never edited once released: a change
// is a new step appended to the list.
import type Database from "better-sqlite3";

const PATIENT_KEY_CHECK = (column: string): string =>
  `(${column} GLOB 'niss:[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'
    OR (${column} GLOB 'reg:[0-9][0-9][0-9]:?*' AND length(${column}) <= 21))`;
// date() normalises 2011-02-30 to 2011-03-02 and gives NULL for nonsense: only a real calendar
// day written YYYY-MM-DD survives the round trip.
const DAY_CHECK = (column: string): string => `(date(${column}) IS ${column})`;
const CODE3_CHECK = (column: string): string => `(${column} GLOB '[0-9][0-9][0-9]')`;

const V1 = `
CREATE TABLE consultations (
  id TEXT PRIMARY KEY,
  reference TEXT NOT NULL CHECK (length(reference) > 0),
  patient_key TEXT NOT NULL CHECK ${PATIENT_KEY_CHECK("patient_key")},
  delivery_date TEXT NOT NULL CHECK ${DAY_CHECK("delivery_date")},
  consulted_at TEXT NOT NULL,
  consulted_on TEXT NOT NULL CHECK ${DAY_CHECK("consulted_on")},
  principal TEXT NOT NULL,
  -- SPEC §1.6: the pricing office's answers are kept nowhere but in the audit trail.
  role TEXT NOT NULL CHECK (role IN ('dispensing', 'pharmacist', 'admin', 'system')),
  session_user TEXT,
  upstream_reference TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('online', 'reused-commitment', 'needs-pharmacist',
    'last-known', 'sis-card', 'document', 'model-704')),
  guarantee TEXT NOT NULL CHECK (guarantee IN ('payment-commitment', 'basic-principle',
    'sis-commitment', 'none')),
  insured INTEGER CHECK (insured IN (0, 1)),
  answer_json TEXT NOT NULL CHECK (json_valid(answer_json)),
  upstream_xml TEXT,
  warnings_json TEXT NOT NULL CHECK (json_valid(warnings_json)),
  fallback_json TEXT CHECK (fallback_json IS NULL OR json_valid(fallback_json)),
  reused_commitment_id TEXT REFERENCES commitments (consultation_id) ON DELETE SET NULL,
  delivered_at TEXT,
  delivered_by TEXT,
  -- SPEC §1.4: only an online answer comes without the fallback path.
  CHECK ((outcome = 'online') = (fallback_json IS NULL)),
  -- SPEC §1.3: the delivery date is never later than the consultation date (DATE_IN_FUTURE).
  CHECK (delivery_date <= consulted_on),
  CHECK ((delivered_at IS NULL) = (delivered_by IS NULL))
) STRICT;
CREATE INDEX consultations_by_day ON consultations (consulted_on);

CREATE TABLE commitments (
  consultation_id TEXT NOT NULL UNIQUE REFERENCES consultations (id) ON DELETE CASCADE,
  patient_key TEXT NOT NULL CHECK ${PATIENT_KEY_CHECK("patient_key")},
  payment_approval TEXT NOT NULL CHECK (length(payment_approval) = 32),
  payment_approval_seed TEXT NOT NULL CHECK (length(payment_approval_seed) = 10),
  invoicing_office_check_digit TEXT NOT NULL CHECK (length(invoicing_office_check_digit) = 2),
  coverage_start TEXT NOT NULL CHECK ${DAY_CHECK("coverage_start")},
  coverage_end TEXT NOT NULL CHECK ${DAY_CHECK("coverage_end")},
  consulted_on TEXT NOT NULL CHECK ${DAY_CHECK("consulted_on")},
  obtained_at TEXT NOT NULL,
  ct1 TEXT NOT NULL CHECK ${CODE3_CHECK("ct1")},
  ct2 TEXT NOT NULL CHECK ${CODE3_CHECK("ct2")},
  mutuality TEXT CHECK (mutuality IS NULL OR ${CODE3_CHECK("mutuality")}),
  regime TEXT CHECK (regime IS NULL OR regime IN ('none', 'standard', 'elevated')),
  CHECK (coverage_start <= coverage_end),
  -- SPEC §1.3 reuse: the candidates are the patient's commitments whose coverage ends on or after
  -- the delivery date. Clustering the rows on (patient_key, coverage_end) answers that range
  -- from one or two adjacent pages, without a lookup per candidate (benchmark: 1 000 000 rows).
  PRIMARY KEY (patient_key, coverage_end, consultation_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE known_patients (
  patient_key TEXT PRIMARY KEY CHECK ${PATIENT_KEY_CHECK("patient_key")},
  last_consultation_id TEXT REFERENCES consultations (id) ON DELETE SET NULL,
  last_consulted_at TEXT NOT NULL,
  last_consulted_on TEXT NOT NULL CHECK ${DAY_CHECK("last_consulted_on")},
  last_delivery_date TEXT NOT NULL CHECK ${DAY_CHECK("last_delivery_date")},
  insured INTEGER NOT NULL CHECK (insured IN (0, 1)),
  ct1 TEXT CHECK (ct1 IS NULL OR ${CODE3_CHECK("ct1")}),
  ct2 TEXT CHECK (ct2 IS NULL OR ${CODE3_CHECK("ct2")}),
  mutuality TEXT CHECK (mutuality IS NULL OR ${CODE3_CHECK("mutuality")}),
  registration_number TEXT CHECK (registration_number IS NULL OR length(registration_number) BETWEEN 1 AND 13),
  regime TEXT CHECK (regime IS NULL OR regime IN ('none', 'standard', 'elevated'))
) STRICT;
CREATE INDEX known_patients_by_day ON known_patients (last_consulted_on);

CREATE TABLE fallback_answers (
  consultation_id TEXT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
  node INTEGER NOT NULL CHECK (node BETWEEN 5 AND 8),
  answer INTEGER NOT NULL CHECK (answer IN (0, 1)),
  document_json TEXT CHECK (document_json IS NULL OR json_valid(document_json)),
  note TEXT,
  pharmacist TEXT NOT NULL,
  pharmacist_nihii TEXT,
  answered_at TEXT NOT NULL,
  -- SPEC §1.4: each question is answered once; an answer is never overwritten.
  PRIMARY KEY (consultation_id, node)
) STRICT;

CREATE TABLE recalls (
  id TEXT PRIMARY KEY,
  consultation_id TEXT NOT NULL UNIQUE REFERENCES consultations (id) ON DELETE CASCADE,
  patient_key TEXT NOT NULL CHECK ${PATIENT_KEY_CHECK("patient_key")},
  delivery_date TEXT NOT NULL CHECK ${DAY_CHECK("delivery_date")},
  queued_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'discrepancy')),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_attempt_at TEXT,
  resolved_at TEXT,
  differences_json TEXT CHECK (differences_json IS NULL OR json_valid(differences_json)),
  online_consultation_id TEXT REFERENCES consultations (id) ON DELETE SET NULL,
  handled_at TEXT,
  handled_by TEXT,
  CHECK ((status = 'pending') = (resolved_at IS NULL)),
  CHECK ((handled_at IS NULL) = (handled_by IS NULL)),
  CHECK (handled_at IS NULL OR status <> 'pending')
) STRICT;
CREATE INDEX recalls_by_status ON recalls (status, queued_at);

CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('dispensing', 'pharmacist', 'pricing-office', 'admin', 'system')),
  action TEXT NOT NULL,
  patient TEXT,
  detail_json TEXT CHECK (detail_json IS NULL OR json_valid(detail_json)),
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  seal TEXT NOT NULL
) STRICT;
-- Append-only: rows come one after the other and are never changed or removed. Someone with
-- write access can drop these triggers; verifyAudit still detects what they did then.
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_append_in_order BEFORE INSERT ON audit
WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM audit)
BEGIN SELECT RAISE(ABORT, 'audit entries are appended in sequence'); END;
`;

// V2 — purpose and proportionality (SPEC §1.6): what the guard counts before each MyCareNet
// consultation, its alerts and the pharmacist's lifts, and the audit lookups of the purpose
// report and of the pricing office's uses per rejection.
const V2 = `
CREATE INDEX consultations_by_patient_day ON consultations (patient_key, consulted_on);
CREATE INDEX consultations_unconfirmed ON consultations (consulted_at, patient_key) WHERE delivered_at IS NULL;
CREATE INDEX audit_by_action ON audit (action, at);

CREATE TABLE proportionality_alerts (
  day TEXT NOT NULL CHECK ${DAY_CHECK("day")},
  rule TEXT NOT NULL CHECK (rule IN ('patient-per-day', 'unconfirmed-patients')),
  first_at TEXT NOT NULL,
  last_at TEXT NOT NULL,
  refusals INTEGER NOT NULL CHECK (refusals > 0),
  limit_value INTEGER NOT NULL CHECK (limit_value > 0),
  PRIMARY KEY (day, rule)
) STRICT, WITHOUT ROWID;

-- The pharmacist lifts the block for one Brussels day; once, and it is audited.
CREATE TABLE proportionality_lifts (
  day TEXT PRIMARY KEY CHECK ${DAY_CHECK("day")},
  lifted_at TEXT NOT NULL,
  lifted_by TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500)
) STRICT;
`;

// V3 — the pharmacist's console (SPEC §1.4): the consultations still waiting for the
// pharmacist's answers, newest first, without reading the whole table at each refresh.
const V3 = `
CREATE INDEX consultations_needs_pharmacist ON consultations (consulted_at, id)
  WHERE outcome = 'needs-pharmacist';
`;

// V4 — the commitment the pharmacy invoices with (issue 14):
// - the consultation document's shape version, so that the store upgrades older documents when
//   it reads them (src/store/document-row.ts);
// - the day the delivery took place, as the dispensing software confirmed it;
// - the window a stored commitment serves (brochure §5.2: the rule's, at most start + 30 days,
//   never later than MyCareNet's period), beside the period as MyCareNet sent it. Backfilled from
//   the delivery date consulted for; an empty window (end before start) serves nothing;
// - the "no right" answers that end older commitments' reuse (SPEC §1.3 reuse);
// - the change feed of the dispensing software: recalls resolved and deliveries confirmed, in
//   order; AUTOINCREMENT so that a cursor is never handed out twice, even after a purge.
const V4 = `
ALTER TABLE consultations ADD COLUMN document_version INTEGER NOT NULL DEFAULT 1;
-- Another prescription of the same patient and date answered from the cache: the consultation
-- whose MyCareNet answer it shares (the purpose report counts that call once).
ALTER TABLE consultations ADD COLUMN shares_consultation_id TEXT;
ALTER TABLE consultations ADD COLUMN delivered_on TEXT
  CHECK (delivered_on IS NULL OR ${DAY_CHECK("delivered_on")});

ALTER TABLE commitments ADD COLUMN window_start TEXT CHECK (window_start IS NULL OR ${DAY_CHECK("window_start")});
ALTER TABLE commitments ADD COLUMN window_end TEXT CHECK (window_end IS NULL OR ${DAY_CHECK("window_end")});
UPDATE commitments SET window_start = max(coverage_start,
  coalesce((SELECT delivery_date FROM consultations WHERE id = consultation_id), coverage_start));
UPDATE commitments SET window_end = min(coverage_end, date(window_start, '+30 days'));

CREATE TABLE right_losses (
  consultation_id TEXT NOT NULL UNIQUE REFERENCES consultations (id) ON DELETE CASCADE,
  patient_key TEXT NOT NULL CHECK ${PATIENT_KEY_CHECK("patient_key")},
  from_day TEXT NOT NULL CHECK ${DAY_CHECK("from_day")},
  observed_at TEXT NOT NULL
) STRICT;
CREATE INDEX right_losses_by_patient ON right_losses (patient_key, from_day);

CREATE TABLE consultation_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  consultation_id TEXT NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('recall-resolved', 'delivery-confirmed')),
  at TEXT NOT NULL
) STRICT;
CREATE INDEX consultation_changes_by_consultation ON consultation_changes (consultation_id);
`;

// V5 — mandates (SPEC §1.6, brochure §8.2.2.5) and results obtained elsewhere (§9.3.3: the
// portal, or the insurability answer that comes with a Recip-e prescription), recorded as the
// consultation of a delivery. A revoked mandate is kept: its uses stay traceable to it.
const V5 = `
CREATE TABLE mandates (
  id TEXT PRIMARY KEY,
  mandatary_kind TEXT NOT NULL CHECK (mandatary_kind IN ('person', 'pharmacy', 'company')),
  mandatary_id TEXT NOT NULL CHECK (mandatary_id NOT GLOB '*[^0-9]*' AND length(mandatary_id) IN (8, 10, 11)),
  mandatary_name TEXT NOT NULL CHECK (length(mandatary_name) BETWEEN 1 AND 200),
  service TEXT NOT NULL CHECK (service IN ('insurability')),
  valid_from TEXT NOT NULL CHECK ${DAY_CHECK("valid_from")},
  valid_until TEXT NOT NULL CHECK ${DAY_CHECK("valid_until")},
  reference TEXT NOT NULL CHECK (length(reference) BETWEEN 1 AND 100),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  revoked_at TEXT,
  revoked_by TEXT,
  CHECK (valid_from <= valid_until),
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
) STRICT;
CREATE INDEX mandates_by_mandatary ON mandates (mandatary_kind, mandatary_id);

CREATE TABLE consultation_imports (
  consultation_id TEXT PRIMARY KEY REFERENCES consultations (id) ON DELETE CASCADE,
  source TEXT NOT NULL CHECK (source IN ('recipe', 'portal')),
  message_id TEXT UNIQUE CHECK (message_id IS NULL OR length(message_id) BETWEEN 1 AND 200),
  typed_by TEXT,
  typed_by_nihii TEXT,
  resolves_consultation_id TEXT REFERENCES consultations (id) ON DELETE SET NULL,
  -- A portal result is typed by someone; a Recip-e answer is the platform's own text.
  CHECK ((source = 'portal') = (typed_by IS NOT NULL))
) STRICT;
CREATE INDEX consultation_imports_resolving ON consultation_imports (resolves_consultation_id)
  WHERE resolves_consultation_id IS NOT NULL;
CREATE INDEX commitments_by_approval ON commitments (payment_approval);
`;

// V6 — a recall MyCareNet keeps refusing is left to the pharmacist with its reason (issue 13,
// brochure §7.2: no systematic retries): status 'refused' and the refusal (an SOA or return
// code, never patient data). SQLite changes a CHECK only by rebuilding the table.
const V6 = `
CREATE TABLE recalls_v6 (
  id TEXT PRIMARY KEY,
  consultation_id TEXT NOT NULL UNIQUE REFERENCES consultations (id) ON DELETE CASCADE,
  patient_key TEXT NOT NULL CHECK ${PATIENT_KEY_CHECK("patient_key")},
  delivery_date TEXT NOT NULL CHECK ${DAY_CHECK("delivery_date")},
  queued_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'discrepancy', 'refused')),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_attempt_at TEXT,
  resolved_at TEXT,
  differences_json TEXT CHECK (differences_json IS NULL OR json_valid(differences_json)),
  online_consultation_id TEXT REFERENCES consultations (id) ON DELETE SET NULL,
  handled_at TEXT,
  handled_by TEXT,
  refusal TEXT CHECK (refusal IS NULL OR length(refusal) <= 40),
  CHECK ((status = 'pending') = (resolved_at IS NULL)),
  CHECK ((handled_at IS NULL) = (handled_by IS NULL)),
  CHECK (handled_at IS NULL OR status <> 'pending'),
  CHECK ((status = 'refused') = (refusal IS NOT NULL))
) STRICT;
INSERT INTO recalls_v6 (id, consultation_id, patient_key, delivery_date, queued_at, status, attempts,
  last_attempt_at, resolved_at, differences_json, online_consultation_id, handled_at, handled_by)
  SELECT id, consultation_id, patient_key, delivery_date, queued_at, status, attempts,
    last_attempt_at, resolved_at, differences_json, online_consultation_id, handled_at, handled_by
  FROM recalls;
DROP TABLE recalls;
ALTER TABLE recalls_v6 RENAME TO recalls;
CREATE INDEX recalls_by_status ON recalls (status, queued_at);
`;

/** Step n (1-based) brings the schema from version n − 1 to n. */
export const MIGRATIONS: readonly string[] = [V1, V2, V3, V4, V5, V6];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersion(db: Database.Database): number {
  return db.pragma("user_version", { simple: true }) as number;
}

/** Applies the missing steps; refuses a database written by a newer daemon. */
export function migrate(db: Database.Database): { from: number; to: number } {
  const from = schemaVersion(db);
  if (from > SCHEMA_VERSION) {
    throw new Error(`the database schema is version ${from}, newer than this daemon's ${SCHEMA_VERSION}`);
  }
  for (let version = from; version < SCHEMA_VERSION; version++) {
    const step = MIGRATIONS[version];
    if (step === undefined) break;
    db.transaction(() => {
      db.exec(step);
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
  return { from, to: SCHEMA_VERSION };
}
