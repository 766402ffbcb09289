// Store benchmark: recordConsultation per second (each one a durable commit: WAL, synced before
// it returns) and findCommitment latency with 1 000 000 stored commitments, in process (no HTTP).
// Part of `npm run bench` (bench/run.js); alone, after a build: `node bench/store.js` writes
// bench/results/store.md (MCN_DIST=<dir> to use another build output; BENCH_COMMITMENTS=<n> to
// change the size).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import {
  BENCH_AUDIT_KEY,
  coveredQuestions,
  dayOf,
  patientKeyOf,
  rng,
  seedCommitments,
} from "./lib/commitments.js";
import { summarize } from "./lib/stats.js";

const ms = (ns) => Number(ns) / 1e6;

function record(i, patient, d, hour = 9) {
  return {
    id: `c-${i}`,
    reference: `REF-${i}`,
    patientKey: patient,
    deliveryDate: dayOf(d),
    consultedAt: new Date(`${dayOf(d)}T${String(hour).padStart(2, "0")}:00:00Z`),
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
      coverage: { start: dayOf(d), end: dayOf(d + 30) },
      ct1: "110",
      ct2: "110",
      mutuality: "120",
      regime: "standard",
    },
    knownPatient: { insured: true, ct1: "110", ct2: "110", mutuality: "120", regime: "standard" },
  };
}

/**
 * Runs both parts. `seeded`: a store file already holding `commitments` commitments (run.js
 * seeds the daemon's store once and measures it here first); otherwise one is made in `dir`.
 * @param {{ dist: string, dir: string, commitments?: number, records?: number, lookups?: number, seeded?: string }} o
 */
export async function storeBench({
  dist,
  dir,
  commitments = 1_000_000,
  records = 2000,
  lookups = 20_000,
  seeded,
}) {
  const { openStore } = await import(pathToFileURL(join(dist, "store/index.js")).href);
  const { CANDIDATES_SQL } = await import(pathToFileURL(join(dist, "store/commitments.js")).href);

  // 1. recordConsultation: one durable transaction each (consultation, commitment, known
  // patient, audit entry).
  let store = openStore(join(dir, "writes.sqlite"), { auditKey: BENCH_AUDIT_KEY });
  const writeTimes = [];
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < records; i++) {
    const s = process.hrtime.bigint();
    store.recordConsultation(record(i, patientKeyOf(i % 500), i % 300));
    writeTimes.push(ms(process.hrtime.bigint() - s));
  }
  const writeSeconds = ms(process.hrtime.bigint() - t0) / 1000;
  const v0 = process.hrtime.bigint();
  const verification = store.verifyAudit();
  const verifyMs = ms(process.hrtime.bigint() - v0);
  store.close();

  // 1b. The same records group-committed, 10 arriving in each turn of the event loop (10 clients):
  // each turn one commit, so one fsync for 10 consultations. Builds without group commit skip it.
  let grouped = null;
  store = openStore(join(dir, "grouped.sqlite"), { auditKey: BENCH_AUDIT_KEY });
  if (store.grouped !== undefined) {
    const perTurn = 10;
    const turnTimes = [];
    const g0 = process.hrtime.bigint();
    for (let i = 0; i < records; i += perTurn) {
      const s = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: perTurn }, (_, k) =>
          store.grouped.recordConsultation(record(i + k, patientKeyOf((i + k) % 500), (i + k) % 300)),
        ),
      );
      turnTimes.push(ms(process.hrtime.bigint() - s));
    }
    const seconds = ms(process.hrtime.bigint() - g0) / 1000;
    const commits = store.commitStats();
    grouped = {
      records,
      perTurn,
      seconds,
      perSecond: records / seconds,
      turnMs: summarize(turnTimes),
      commits,
    };
  }
  store.close();

  // 2. findCommitment among `commitments` rows, for covered days and for random ones.
  const readFile = seeded ?? join(dir, "reads.sqlite");
  const load = seeded ? undefined : await seedCommitments({ dist, file: readFile, count: commitments });
  const raw = new Database(readFile, { readonly: true });
  const plan = raw
    .prepare(`EXPLAIN QUERY PLAN ${CANDIDATES_SQL}`)
    .all({ patientKey: patientKeyOf(1), day: dayOf(100) })
    .map((r) => /** @type {{ detail: string }} */ (r).detail)
    .join("; ");
  raw.close();
  store = openStore(readFile, { auditKey: BENCH_AUDIT_KEY });
  const patients = Math.ceil(commitments / 20);
  const random = rng(3);
  const questions = coveredQuestions({ count: commitments, n: lookups, seed: 4 });
  const lookupTimes = [];
  let found = 0;
  for (let i = 0; i < lookups + 1000; i++) {
    // half covered days, half random patients and days
    const q =
      i % 2 === 0
        ? questions[i % lookups]
        : {
            niss: patientKeyOf(Math.floor(random() * patients)).slice(5),
            date: dayOf(Math.floor(random() * 390)),
          };
    const s = process.hrtime.bigint();
    const hit = store.findCommitment(`niss:${q.niss}`, q.date);
    const elapsed = ms(process.hrtime.bigint() - s);
    if (i >= 1000) {
      // the first thousand warm the page cache and the JIT
      lookupTimes.push(elapsed);
      if (hit !== undefined) found++;
    }
  }
  store.close();
  // Half the questions ask for a day a seeded commitment covers: finding none means the seed no
  // longer matches the schema, and the latencies would time empty look-ups.
  if (found < lookups / 4)
    throw new Error(`findCommitment found ${found} of ${lookups}: the seeded commitments do not serve`);
  return {
    recordConsultation: {
      records,
      seconds: writeSeconds,
      perSecond: records / writeSeconds,
      ms: summarize(writeTimes),
      verifyAudit: { ms: verifyMs, result: verification },
      grouped,
    },
    findCommitment: { commitments, patients, lookups, found, load, ms: summarize(lookupTimes), plan },
  };
}

function markdown(r) {
  const f = (x) => x.toFixed(3);
  const w = r.recordConsultation;
  const l = r.findCommitment;
  return `# Store benchmark

Generated by \`node bench/store.js\` on ${new Date().toISOString()} (Node ${process.version}, ${process.platform}).
${cpus().length} CPUs, load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" / ")} at the end (other work on the
machine widens the tails). Files in ${tmpdir()}; write numbers depend on the disk's fsync latency.

## recordConsultation (durable: WAL, synced before it returns, one transaction each)

| records | seconds | records/s | p50 ms | p99 ms | max ms |
|---|---|---|---|---|---|
| ${w.records} | ${w.seconds.toFixed(2)} | ${w.perSecond.toFixed(0)} | ${f(w.ms.p50)} | ${f(w.ms.p99)} | ${f(w.ms.max)} |

Each record writes the consultation, its commitment, the known-patient upsert and the chained
audit entry. verifyAudit over those ${w.records} entries: ${w.verifyAudit.ms.toFixed(1)} ms (${JSON.stringify(w.verifyAudit.result)}).${
    w.grouped
      ? `

Group-committed, ${w.grouped.perTurn} records arriving in each turn of the event loop: ${w.grouped.perSecond.toFixed(0)} records/s,
a turn of ${w.grouped.perTurn} p50 ${f(w.grouped.turnMs.p50)} ms, p99 ${f(w.grouped.turnMs.p99)} ms (${w.grouped.commits.commits} commits for ${w.grouped.commits.writes} writes).`
      : ""
  }

## findCommitment with ${l.commitments.toLocaleString("en")} commitments

${l.patients.toLocaleString("en")} patients × 20 commitments${l.load ? ` (bulk load ${l.load.seconds.toFixed(1)} s, file ${l.load.fileMb.toFixed(0)} MB)` : ""}.
${l.lookups} look-ups after 1000 warm-up look-ups, half for a day a commitment covers, half for a random patient and day; ${l.found} found a reusable commitment.

| p50 ms | p90 ms | p99 ms | max ms |
|---|---|---|---|
| ${f(l.ms.p50)} | ${f(l.ms.p90)} | ${f(l.ms.p99)} | ${f(l.ms.max)} |

Query plan: \`${l.plan}\`
`;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dist = process.env.MCN_DIST ?? new URL("../dist/", import.meta.url).pathname;
  const dir = mkdtempSync(join(tmpdir(), "mcn-bench-store-"));
  try {
    const result = await storeBench({
      dist,
      dir,
      commitments: Number(process.env.BENCH_COMMITMENTS ?? 1_000_000),
      records: Number(process.env.BENCH_RECORDS ?? 2000),
    });
    const doc = markdown(result);
    const resultsDir = new URL("./results/", import.meta.url).pathname;
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, "store.md"), doc);
    process.stdout.write(doc);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
