// The store (SPEC §1.3 reuse and retention, §1.4 fallback and recall, §1.6 purpose): SQLite on
// disk, durable at each commit; the online path's writes are group-committed (group-commit.ts).
// Adapters use this API; no SQL outside src/store.
export { openStore } from "./store.js";
export type { GroupedWrites, Store, StoreOptions } from "./store.js";
export type { CommitStats } from "./group-commit.js";
export { isPatientKey, patientKeyOf, patientOfKey } from "../identifiers/patient-key.js";
export type { PatientKey } from "../identifiers/patient-key.js";
export type {
  ConsultationRecord,
  ConsultationSummary,
  FallbackState,
  OutcomeUpdate,
  StoredConsultation,
} from "./consultation.js";
export type { CommitmentInput, Regime, StoredCommitmentRow } from "./commitments.js";
export type { KnownPatient, LastOnlineInput } from "./known-patients.js";
export type {
  FallbackAnswerInput,
  FallbackAnswers,
  PharmacistNode,
  StoredFallbackAnswer,
} from "./fallback-answers.js";
export type { Recall, RecallFilter, RecallResolution, RecallStatus } from "./recalls.js";
export type { Actor, ActorRole, AuditEntry, AuditInput } from "./audit.js";
export type { AuditAnchor, AuditProblem, AuditVerification } from "./audit-chain.js";
export { AUDIT_KEY_BYTES, loadOrCreateAuditKey, readAuditKey } from "./audit-key.js";
export type { PurgeCounts } from "./retention.js";
export type {
  ComplianceStore,
  ProportionalityAlertRow,
  ProportionalityLiftRow,
  PurposeAuditEntry,
  RefusalInput,
} from "./compliance.js";
export { openAuditReader } from "./audit-reader.js";
export type { AuditReader } from "./audit-reader.js";
export { SCHEMA_VERSION } from "./migrations.js";
export { AUDIT_KEY_FILE, DATABASE_FILE } from "./files.js";
export type { MandateStore } from "./mandates.js";
export type { ImportInfo, ImportInput, ImportSource, ImportStore } from "./imports.js";
