// A store filled with 1 000 000 payment commitments (50 000 synthetic patients × 20, about one
// delivery every 18 days, each covering 5–30 days), loaded in one transaction through the store's
// own schema: the store has no bulk API, one consultation at a time is the product's contract.
import { statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Database from "better-sqlite3";

const dist = (process.env.MCN_DIST ?? fileURLToPath(new URL("../../dist/", import.meta.url))).replace(
  /\/?$/,
  "/",
);
const { withCheckDigits } = await import(pathToFileURL(join(dist, "identifiers/niss.js")).href);

export const PER_PATIENT = 20;
/** The key the bench's stores are opened with (audit seals and pseudonyms only). */
export const BENCH_AUDIT_KEY = Buffer.alloc(32, 7);

/** Deterministic pseudo-random numbers (mulberry32): two runs ask the same questions. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The i-th synthetic patient's NISS (valid check digits, birth date unknown). */
export const nissOf = (i) => withCheckDigits(String(100000000 + i));
export const patientKeyOf = (i) => `niss:${nissOf(i)}`;
// Day 0 is 400 days ago: every commitment lies in the past (a lookup date is never in the
// future) and within the two years the daemon's retention keeps.
const DAY_MS = 86_400_000;
const DAY_ZERO = Math.floor(Date.now() / DAY_MS) * DAY_MS - 400 * DAY_MS;
export const dayOf = (d) => new Date(DAY_ZERO + d * DAY_MS).toISOString().slice(0, 10);

// The windows, in load order, from the same random sequence the load uses.
function* windows(count) {
  const random = rng(1);
  for (let n = 0; n < count; n++) {
    const k = n % PER_PATIENT;
    const d = k * 18 + Math.floor(random() * 10);
    const end = d + 5 + Math.floor(random() * 26);
    yield { patient: Math.floor(n / PER_PATIENT), k, n, d, end };
  }
}

export async function seedCommitments({ dist, file, count }) {
  const { openStore } = await import(pathToFileURL(join(dist, "store/index.js")).href);
  openStore(file, { auditKey: BENCH_AUDIT_KEY }).close();
  const raw = new Database(file);
  raw.pragma("journal_mode = WAL");
  const t0 = performance.now();
  const insertConsultation = raw.prepare(
    `INSERT INTO consultations (id, reference, patient_key, delivery_date, consulted_at, consulted_on, principal, role,
       outcome, guarantee, insured, answer_json, warnings_json)
     VALUES (?, ?, ?, ?, ?, ?, 'counter-1', 'dispensing', 'online', 'payment-commitment', 1, '{}', '[]')`,
  );
  const insertCommitment = raw.prepare(
    `INSERT INTO commitments (consultation_id, patient_key, payment_approval, payment_approval_seed,
       invoicing_office_check_digit, coverage_start, coverage_end, window_start, window_end, consulted_on,
       obtained_at, ct1, ct2, mutuality, regime)
     VALUES (?, ?, ?, 'SSSSSSSSSS', 'SR', ?, ?, ?, ?, ?, ?, '110', '110', '120', 'standard')`,
  );
  raw.transaction(() => {
    for (const w of windows(count)) {
      const at = `${dayOf(w.d)}T10:00:00.000Z`;
      const key = patientKeyOf(w.patient);
      insertConsultation.run(`c-${w.n}`, `REF-${w.n}`, key, dayOf(w.d), at, dayOf(w.d));
      // The window the daemon relies on (SPEC §1.3, migration V4): from the delivery date, at most
      // 30 days, never past MyCareNet's period. Without it no stored commitment serves any day.
      const windowEnd = dayOf(Math.min(w.end, w.d + 30));
      insertCommitment.run(
        `c-${w.n}`,
        key,
        "A".repeat(32),
        dayOf(w.d),
        dayOf(w.end),
        dayOf(w.d),
        windowEnd,
        dayOf(w.d),
        at,
      );
    }
  })();
  raw.exec("ANALYZE");
  raw.close();
  return {
    commitments: count,
    patients: Math.ceil(count / PER_PATIENT),
    seconds: (performance.now() - t0) / 1000,
    fileMb: statSync(file).size / 1e6,
  };
}

/** `n` questions {niss, date} whose date a stored commitment covers, chosen at random (seeded). */
export function coveredQuestions({ count, n, seed = 2 }) {
  const patients = Math.ceil(count / PER_PATIENT);
  const random = rng(seed);
  const wanted = new Map();
  for (let i = 0; i < n; i++) {
    const p = Math.floor(random() * patients);
    const k = Math.floor(random() * PER_PATIENT);
    const list = wanted.get(p * PER_PATIENT + k) ?? [];
    list.push({ i, pick: random() });
    wanted.set(p * PER_PATIENT + k, list);
  }
  const out = new Array(n);
  for (const w of windows(count)) {
    const asks = wanted.get(w.n);
    if (!asks) continue;
    for (const { i, pick } of asks) {
      out[i] = { niss: nissOf(w.patient), date: dayOf(w.d + Math.floor(pick * (w.end - w.d + 1))) };
    }
  }
  // An index beyond `count` (the last patient's missing commitments) falls back to patient 0.
  return out.map((q) => q ?? { niss: nissOf(0), date: dayOf(0) });
}
