// Real SQLite files in a temporary directory, and consultation records shaped like the daemon's.
import { mkdtempSync, rmSync } from "node:fs";
import Database from "better-sqlite3";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../store.js";
import type { Store, StoreOptions } from "../store.js";
import type { ConsultationRecord } from "../consultation.js";
import type { CommitmentInput } from "../commitments.js";
import type { PatientKey } from "../../identifiers/patient-key.js";
import { documentFixture, ENTITLEMENT_110 } from "../../consultation/__fixtures__/document.js";
import { withCheckDigits } from "../../identifiers/niss.js";

export const AUDIT_KEY = Buffer.alloc(32, 7);

/** A NISS of someone born before 2000 with its check digits (identifiers' withCheckDigits). */
export function niss(base9: string): string {
  return withCheckDigits(base9);
}

export const PATIENT: PatientKey = `niss:${niss("850101001")}`;
export const OTHER_PATIENT: PatientKey = `niss:${niss("900215002")}`;
export const NEWBORN: PatientKey = "reg:120:000113 044M86";

export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), "mcn-store-"));
  file(name = "mcn.sqlite"): string {
    return join(this.path, name);
  }
  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** A clock that moves only when told to. */
export class ManualClock {
  #t: number;
  constructor(iso: string) {
    this.#t = Date.parse(iso);
  }
  readonly now = (): Date => new Date(this.#t);
  advance(ms: number): void {
    this.#t += ms;
  }
}

export function sequentialIds(prefix = "id"): () => string {
  let n = 0;
  return () => `${prefix}-${String(++n).padStart(6, "0")}`;
}

/** Rows of `table` another connection (another process) sees: committed ones only. */
export function committedRows(file: string, table: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

export function open(file: string, options: Partial<StoreOptions> = {}): Store {
  return openStore(file, { auditKey: AUDIT_KEY, ...options });
}

export function commitment(over: Partial<CommitmentInput> = {}): CommitmentInput {
  return {
    paymentApproval: "A".repeat(32),
    paymentApprovalSeed: "S".repeat(10),
    invoicingOfficeCheckDigit: "SR",
    coverage: { start: "2011-11-12", end: "2011-12-12" },
    ct1: "110",
    ct2: "110",
    mutuality: "120",
    regime: "standard",
    ...over,
  };
}

export function onlineRecord(over: Partial<ConsultationRecord> = {}): ConsultationRecord {
  return {
    reference: "REF-1",
    patientKey: PATIENT,
    deliveryDate: "2011-11-12",
    consultedAt: new Date("2011-11-12T09:30:00Z"),
    principal: "counter-1",
    role: "dispensing",
    sessionUser: "12345678001",
    outcome: "online",
    guarantee: "payment-commitment",
    insured: true,
    answer: documentFixture({ outcome: "online", entitlement: ENTITLEMENT_110 }),
    warnings: [],
    commitment: commitment(),
    knownPatient: { insured: true, ct1: "110", ct2: "110", mutuality: "120", regime: "standard" },
    ...over,
  };
}

export function fallbackRecord(over: Partial<ConsultationRecord> = {}): ConsultationRecord {
  return {
    reference: "REF-F",
    patientKey: PATIENT,
    deliveryDate: "2011-11-20",
    consultedAt: new Date("2011-11-20T10:00:00Z"),
    principal: "counter-1",
    role: "dispensing",
    outcome: "needs-pharmacist",
    guarantee: "none",
    answer: documentFixture({ outcome: "needs-pharmacist" }),
    fallback: {
      reason: "NETWORK_UNREACHABLE",
      path: [1, 2, 3, 4, 5],
      question: { node: 5, code: "trustLastKnown" },
    },
    ...over,
  };
}
