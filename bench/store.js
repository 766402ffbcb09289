// Store benchmark: recordConsultation per second (each one a durable commit: WAL, synchronous =
// FULL) and findCommitment latency with 1 000 000 stored commitments. Writes
// bench/results/store.md. Run after a build: `npm run build && node bench/store.js`
// (MCN_DIST=<dir> to use another build output; BENCH_COMMITMENTS=<n> to change the size).
import { mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";

const dist = process.env.MCN_DIST ?? new URL("../dist/", import.meta.url).pathname;
const { openStore } = await import(pathToFileURL(join(dist, "store/index.js")).href);
const { CANDIDATES_SQL } = await import(pathToFileURL(join(dist, "store/commitments.js")).href);

const COMMITMENTS = Number(process.env.BENCH_COMMITMENTS ?? 1_000_000);
const PER_PATIENT = 20;
const PATIENTS = Math.ceil(COMMITMENTS / PER_PATIENT);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 2_000);
const LOOKUPS = 20_000;
const auditKey = Buffer.alloc(32, 7);

const dir = mkdtempSync(join(tmpdir(), "mcn-bench-store-"));
const ms = (ns) => Number(ns) / 1e6;
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
// Deterministic pseudo-random numbers (mulberry32), so two runs ask the same questions.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const niss = (i) => {
  const base = String(100000000 + i);
  return `niss:${base}${String(97 - (Number(base) % 97)).padStart(2, "0")}`;
};
const day = (d) => new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);

function record(i, patient, d, hour = 9) {
  return {
    id: `c-${i}`,
    reference: `REF-${i}`,
    patientKey: patient,
    deliveryDate: day(d),
    consultedAt: new Date(`${day(d)}T${String(hour).padStart(2, "0")}:00:00Z`),
    principal: "counter-1",
    role: "dispensing",
    sessionUser: "12345678001",
    outcome: "online",
    guarantee: "payment-commitment",
    insured: true,
    answer: { outcome: "online", entitlement: { ct1: "110", ct2: "110", thirdPartyPayerRegime: "standard" } },
    warnings: [],
    commitment: {
      paymentApproval: "A".repeat(32),
      paymentApprovalSeed: "S".repeat(10),
      invoicingOfficeCheckDigit: "SR",
      coverage: { start: day(d), end: day(d + 30) },
      ct1: "110",
      ct2: "110",
      mutuality: "120",
      regime: "standard",
    },
    knownPatient: { insured: true, ct1: "110", ct2: "110", mutuality: "120", regime: "standard" },
  };
}

// 1. recordConsultation: one durable transaction each (consultation, commitment, known patient,
// audit entry).
const writeFile = join(dir, "writes.sqlite");
let store = openStore(writeFile, { auditKey });
const writeTimes = [];
const t0 = process.hrtime.bigint();
for (let i = 0; i < RECORDS; i++) {
  const s = process.hrtime.bigint();
  store.recordConsultation(record(i, niss(i % 500), i % 300));
  writeTimes.push(ms(process.hrtime.bigint() - s));
}
const writeSeconds = ms(process.hrtime.bigint() - t0) / 1000;
const v0 = process.hrtime.bigint();
const verification = store.verifyAudit();
const verifyMs = ms(process.hrtime.bigint() - v0);
store.close();
writeTimes.sort((a, b) => a - b);

// 2. findCommitment among COMMITMENTS rows. Bulk-loaded in one transaction through the store's
// own schema (the store has no bulk API: one consultation at a time is the product's contract).
const readFile = join(dir, "reads.sqlite");
openStore(readFile, { auditKey }).close();
const raw = new Database(readFile);
raw.pragma("journal_mode = WAL");
const l0 = process.hrtime.bigint();
const insertConsultation = raw.prepare(
  `INSERT INTO consultations (id, reference, patient_key, delivery_date, consulted_at, consulted_on, principal, role,
     outcome, guarantee, insured, answer_json, warnings_json)
   VALUES (?, ?, ?, ?, ?, ?, 'counter-1', 'dispensing', 'online', 'payment-commitment', 1, '{}', '[]')`,
);
const insertCommitment = raw.prepare(
  `INSERT INTO commitments (consultation_id, patient_key, payment_approval, payment_approval_seed,
     invoicing_office_check_digit, coverage_start, coverage_end, consulted_on, obtained_at, ct1, ct2, mutuality, regime)
   VALUES (?, ?, ?, 'SSSSSSSSSS', 'SR', ?, ?, ?, ?, '110', '110', '120', 'standard')`,
);
const load = raw.transaction(() => {
  const random = rng(1);
  for (let p = 0; p < PATIENTS; p++) {
    for (let k = 0; k < PER_PATIENT; k++) {
      const n = p * PER_PATIENT + k;
      if (n >= COMMITMENTS) return;
      // about one delivery every 18 days over a year, each covering up to 30 days
      const d = k * 18 + Math.floor(random() * 10);
      const end = d + 5 + Math.floor(random() * 26);
      const at = `${day(d)}T10:00:00.000Z`;
      insertConsultation.run(`c-${n}`, `REF-${n}`, niss(p), day(d), at, day(d));
      insertCommitment.run(`c-${n}`, niss(p), "A".repeat(32), day(d), day(end), day(d), at);
    }
  }
});
load();
raw.exec("ANALYZE");
const loadSeconds = ms(process.hrtime.bigint() - l0) / 1000;
const plan = raw
  .prepare(`EXPLAIN QUERY PLAN ${CANDIDATES_SQL}`)
  .all(niss(1), day(100))
  .map((r) => r.detail)
  .join("; ");
raw.close();

store = openStore(readFile, { auditKey });
const random = rng(2);
const lookupTimes = [];
let found = 0;
for (let i = 0; i < LOOKUPS + 1000; i++) {
  const patient = niss(Math.floor(random() * PATIENTS));
  const date = day(Math.floor(random() * 380));
  const s = process.hrtime.bigint();
  const hit = store.findCommitment(patient, date);
  const elapsed = ms(process.hrtime.bigint() - s);
  if (i >= 1000) {
    // the first thousand warm the page cache and the JIT
    lookupTimes.push(elapsed);
    if (hit !== undefined) found++;
  }
}
store.close();
lookupTimes.sort((a, b) => a - b);
const fileMb = statSync(readFile).size / 1e6;

const f = (x) => x.toFixed(3);
const doc = `# Store benchmark

Generated by \`node bench/store.js\` on ${new Date().toISOString()} (Node ${process.version}, ${process.platform}).
${cpus().length} CPUs, load average ${loadavg()
  .map((x) => x.toFixed(1))
  .join(" / ")} at the end (other work on the
machine widens the tails). Files in ${tmpdir()}; write numbers depend on the disk's fsync latency.

## recordConsultation (durable: WAL, synchronous = FULL, one transaction each)

| records | seconds | records/s | p50 ms | p99 ms | max ms |
|---|---|---|---|---|---|
| ${RECORDS} | ${writeSeconds.toFixed(2)} | ${(RECORDS / writeSeconds).toFixed(0)} | ${f(pct(writeTimes, 50))} | ${f(pct(writeTimes, 99))} | ${f(writeTimes.at(-1))} |

Each record writes the consultation, its commitment, the known-patient upsert and the chained
audit entry. verifyAudit over those ${RECORDS} entries: ${verifyMs.toFixed(1)} ms (${JSON.stringify(verification)}).

## findCommitment with ${COMMITMENTS.toLocaleString("en")} commitments

${PATIENTS.toLocaleString("en")} patients × ${PER_PATIENT} commitments (bulk load ${loadSeconds.toFixed(1)} s, file ${fileMb.toFixed(0)} MB).
${LOOKUPS} look-ups for a random patient and day after 1000 warm-up look-ups; ${found} found a reusable commitment.

| p50 ms | p90 ms | p99 ms | max ms |
|---|---|---|---|
| ${f(pct(lookupTimes, 50))} | ${f(pct(lookupTimes, 90))} | ${f(pct(lookupTimes, 99))} | ${f(lookupTimes.at(-1))} |

Query plan: \`${plan}\`
`;

const resultsDir = new URL("./results/", import.meta.url).pathname;
mkdirSync(resultsDir, { recursive: true });
writeFileSync(join(resultsDir, "store.md"), doc);
rmSync(dir, { recursive: true, force: true });
process.stdout.write(doc);
