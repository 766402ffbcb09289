// Patients the pharmacy knows (SPEC §1.4 node 3), with what the last online consultation said of
// them (node 5: "the last known online data", used on the basic principle).
import type Database from "better-sqlite3";
import type { Day } from "../commitment/index.js";
import type { KnownPatient, Regime } from "../consultation/records.js";

export type { KnownPatient } from "../consultation/records.js";
import type { PatientKey } from "../identifiers/patient-key.js";

/** What an online answer said of the patient (absent fields: not in the answer). */
export interface LastOnlineInput {
  insured: boolean;
  ct1?: string;
  ct2?: string;
  mutuality?: string;
  registrationNumber?: string;
  regime?: Regime;
}

interface Row {
  patient_key: string;
  last_consultation_id: string | null;
  last_consulted_at: string;
  last_consulted_on: string;
  last_delivery_date: string;
  insured: number;
  ct1: string | null;
  ct2: string | null;
  mutuality: string | null;
  registration_number: string | null;
  regime: string | null;
}

export class KnownPatientTable {
  readonly #upsert: Database.Statement<[Row]>;
  readonly #get: Database.Statement<[string], Row>;

  constructor(db: Database.Database) {
    // An older answer arriving late (a recall for an old delivery date is still newer in time;
    // a replayed record is not) never overwrites a newer one.
    this.#upsert = db.prepare(
      `INSERT INTO known_patients (patient_key, last_consultation_id, last_consulted_at, last_consulted_on,
         last_delivery_date, insured, ct1, ct2, mutuality, registration_number, regime)
       VALUES (@patient_key, @last_consultation_id, @last_consulted_at, @last_consulted_on,
         @last_delivery_date, @insured, @ct1, @ct2, @mutuality, @registration_number, @regime)
       ON CONFLICT (patient_key) DO UPDATE SET
         last_consultation_id = excluded.last_consultation_id,
         last_consulted_at = excluded.last_consulted_at,
         last_consulted_on = excluded.last_consulted_on,
         last_delivery_date = excluded.last_delivery_date,
         insured = excluded.insured, ct1 = excluded.ct1, ct2 = excluded.ct2,
         mutuality = excluded.mutuality, registration_number = excluded.registration_number,
         regime = excluded.regime
       WHERE excluded.last_consulted_at >= known_patients.last_consulted_at`,
    );
    this.#get = db.prepare("SELECT * FROM known_patients WHERE patient_key = ?");
  }

  /** Called inside recordConsultation's transaction, for an online answer only. */
  upsert(
    patientKey: PatientKey,
    consultation: { id: string; consultedAt: string; consultedOn: Day; deliveryDate: Day },
    online: LastOnlineInput,
  ): void {
    this.#upsert.run({
      patient_key: patientKey,
      last_consultation_id: consultation.id,
      last_consulted_at: consultation.consultedAt,
      last_consulted_on: consultation.consultedOn,
      last_delivery_date: consultation.deliveryDate,
      insured: online.insured ? 1 : 0,
      ct1: online.ct1 ?? null,
      ct2: online.ct2 ?? null,
      mutuality: online.mutuality ?? null,
      registration_number: online.registrationNumber ?? null,
      regime: online.regime ?? null,
    });
  }

  get(patientKey: PatientKey): KnownPatient | undefined {
    const r = this.#get.get(patientKey);
    if (r === undefined) return undefined;
    return {
      patientKey: r.patient_key as PatientKey,
      lastConsultationId: r.last_consultation_id,
      lastConsultedAt: r.last_consulted_at,
      lastConsultedOn: r.last_consulted_on,
      lastDeliveryDate: r.last_delivery_date,
      insured: r.insured === 1,
      ct1: r.ct1,
      ct2: r.ct2,
      mutuality: r.mutuality,
      registrationNumber: r.registration_number,
      regime: r.regime as Regime | null,
    };
  }
}
