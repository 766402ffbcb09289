// What the daemon keeps (SPEC §1.3 retention, §1.5, §1.6) through the HTTP API: the monthly
// purpose report of a month with known traffic, the retention purge removing exactly what is
// past the retention, and the audit trail's check finding an edited, deleted or inserted row
// (also with `mcn-rights audit verify`).
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli.js";
import { addDays, brusselsDay } from "../../src/commitment/index.js";
import { retentionCutoff } from "../../src/purpose/index.js";
import { SCENARIO_NISS } from "../../src/simulator/index.js";
import { entryHash } from "../../src/store/audit-chain.js";
import { DATABASE_FILE, type PatientKey } from "../../src/store/index.js";
import {
  commitment,
  fallbackRecord,
  niss,
  onlineRecord,
} from "../../src/store/__fixtures__/store-fixture.js";
import { startStack, type Stack } from "../support/stack.js";

let stack: Stack;
const today = brusselsDay(new Date());
// A past month inside the retention: two months before the current one.
const pastMonth = addDays(`${today.slice(0, 7)}-01`, -40).slice(0, 7);
const P1: PatientKey = `niss:${niss("850101001")}`;
const P2: PatientKey = `niss:${niss("900215002")}`;
const P3: PatientKey = `niss:${niss("770303003")}`;
const P4: PatientKey = `niss:${niss("660404004")}`;
const P5: PatientKey = `niss:${niss("550505005")}`;
const P6: PatientKey = `niss:${niss("440606006")}`;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

const admin = () => ({ token: stack.tokens.admin });
const counter = { name: "counter-1", role: "dispensing" as const };
const at = (day: string, time = "10:00:00") => new Date(`${day}T${time}Z`);

describe("the purpose report (SPEC §1.6)", () => {
  beforeAll(() => {
    const store = stack.daemon.store;
    const d = (n: number) => `${pastMonth}-${String(n).padStart(2, "0")}`;
    const online = (id: string, patientKey: PatientKey, when: Date) =>
      store.recordConsultation(
        onlineRecord({
          id,
          reference: id,
          patientKey,
          deliveryDate: brusselsDay(when),
          consultedAt: when,
          commitment: undefined,
        }),
      );
    online("old-1", P1, at(d(10), "09:00:00"));
    online("old-2", P1, at(d(10), "15:00:00"));
    online("old-3", P2, at(d(11)));
    store.recordConsultation(
      fallbackRecord({
        id: "old-4",
        reference: "old-4",
        patientKey: P3,
        deliveryDate: d(12),
        consultedAt: at(d(12)),
      }),
    );
    store.confirmDelivery("old-1", counter, at(d(10), "09:05:00"));
    store.confirmDelivery("old-3", counter, at(d(11), "10:05:00"));
    for (const minute of ["11:00:00", "11:02:00"]) {
      store.compliance.recordRefusal({
        day: d(11),
        rule: "unconfirmed-patients",
        count: 30,
        limit: 30,
        by: counter,
        patientKey: P2,
        at: at(d(11), minute),
      });
    }
    store.compliance.lift(
      d(11),
      { name: "pharmacist", role: "pharmacist" },
      "nursing home round",
      at(d(11), "11:30:00"),
    );
    const ot = { actor: "pricing-office", role: "pricing-office" as const, patientKey: P1 };
    store.appendAudit({
      ...ot,
      action: "pricing-office.consulted",
      detail: { invoiceReference: "INV-7", reasonCode: "200820", deliveryDate: d(10) },
      at: at(d(20)),
    });
    store.appendAudit({
      ...ot,
      action: "pricing-office.refused",
      detail: {
        invoiceReference: "INV-8",
        reasonCode: "200820",
        deliveryDate: d(9),
        reason: "NO_DELIVERY_ON_RECORD",
      },
      at: at(d(20), "11:00:00"),
    });
    store.appendAudit({
      actor: "counter-1",
      role: "dispensing",
      action: "consultation.rejected",
      patientKey: P2,
      detail: { code: "MYCARENET_REJECTED" },
      at: at(d(13)),
    });
  });

  it("has the expected figures for a month with known traffic", async () => {
    const res = await stack.request("GET", `/v1/reports/purpose?month=${pastMonth}`, {
      token: stack.tokens.pharmacist,
    });
    expect(res.status).toBe(200);
    const pseudonym = (k: PatientKey) => stack.daemon.store.patientPseudonym(k);
    const d = (n: number) => `${pastMonth}-${String(n).padStart(2, "0")}`;
    expect(res.json).toEqual({
      month: pastMonth,
      consultations: {
        total: 4,
        online: 3,
        fallback: 1,
        byOutcome: { online: 3, "needs-pharmacist": 1 },
        recalls: 0,
        imported: { recipe: 0, portal: 0 },
        rejectedByMyCareNet: 1,
      },
      deliveries: { confirmed: 2, unconfirmed: 2 },
      // Issue 14 §3 (added): none of these deliveries was confirmed on another day.
      deliveredOnAnotherDay: [],
      unconfirmed: [
        {
          id: "old-2",
          reference: "old-2",
          consultedAt: `${d(10)}T15:00:00.000Z`,
          deliveryDate: d(10),
          outcome: "online",
          principal: "counter-1",
        },
        {
          id: "old-4",
          reference: "old-4",
          consultedAt: `${d(12)}T10:00:00.000Z`,
          deliveryDate: d(12),
          outcome: "needs-pharmacist",
          principal: "counter-1",
        },
      ],
      perPatient: {
        patients: 3,
        maxPerDay: { count: 2, day: d(10), patient: pseudonym(P1) },
        maxInMonth: { count: 2, patient: pseudonym(P1) },
      },
      bulkAlerts: [
        {
          day: d(11),
          rule: "unconfirmed-patients",
          firstAt: `${d(11)}T11:00:00.000Z`,
          lastAt: `${d(11)}T11:02:00.000Z`,
          refusals: 2,
          limit: 30,
          lifted: { at: `${d(11)}T11:30:00.000Z`, by: "pharmacist", reason: "nursing home round" },
        },
      ],
      pricingOffice: {
        answered: 1,
        refused: 1,
        rejected: 0,
        unanswered: 0,
        refusalsByReason: { NO_DELIVERY_ON_RECORD: 1 },
        uses: [
          {
            at: `${d(20)}T10:00:00.000Z`,
            result: "answered",
            invoiceReference: "INV-7",
            reasonCode: "200820",
            deliveryDate: d(10),
            refusal: null,
          },
          {
            at: `${d(20)}T11:00:00.000Z`,
            result: "refused",
            invoiceReference: "INV-8",
            reasonCode: "200820",
            deliveryDate: d(9),
            refusal: "NO_DELIVERY_ON_RECORD",
          },
        ],
      },
    });
    expect(JSON.stringify(res.json)).not.toContain(P1.slice(5));
  });

  it("is a CSV table with Accept: text/csv", async () => {
    const res = await stack.request("GET", `/v1/reports/purpose?month=${pastMonth}`, {
      ...admin(),
      headers: { accept: "text/csv" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="purpose-${pastMonth}.csv"`);
    const lines = (res.body as string).trimEnd().split("\r\n");
    expect(lines[0]).toBe("kind,month,day,at,reference,consultation,outcome,rule,count,limit,detail");
    expect(lines).toContain(`consultations,${pastMonth},,,,,,,4,,`);
    expect(lines).toContain(`deliveries-confirmed,${pastMonth},,,,,,,2,,`);
    expect(lines.filter((l) => l.startsWith("unconfirmed,")).map((l) => l.split(",")[4])).toEqual([
      "old-2",
      "old-4",
    ]);
    expect(lines.filter((l) => l.startsWith("bulk-alert,"))).toHaveLength(1);
  });

  it("counts this month's consultations made through the API, and their confirmations", async () => {
    const refs: string[] = [];
    for (const n of [SCENARIO_NISS.ordinary, SCENARIO_NISS.preferential, SCENARIO_NISS.bis]) {
      const res = await stack.request("POST", "/v1/consultations", {
        body: { patient: { niss: n }, reference: `now-${refs.length}` },
      });
      expect(res.status).toBe(201);
      refs.push(res.json.id);
    }
    // The same question again is served from the cache: not a MyCareNet consultation.
    expect(
      (
        await stack.request("POST", "/v1/consultations", {
          body: { patient: { niss: SCENARIO_NISS.ordinary }, reference: "now-again" },
        })
      ).status,
    ).toBe(200);
    await stack.request("POST", `/v1/consultations/${refs[1]}/delivery`, { body: {} });
    const month = today.slice(0, 7);
    const report = (
      await stack.request("GET", `/v1/reports/purpose?month=${month}`, { token: stack.tokens.pharmacist })
    ).json;
    expect(report.consultations).toMatchObject({ total: 3, online: 3, fallback: 0 });
    expect(report.deliveries).toEqual({ confirmed: 1, unconfirmed: 2 });
    expect(report.unconfirmed.map((u: { reference: string }) => u.reference)).toEqual(["now-0", "now-2"]);
  });

  it("is for the pharmacist and the admin, for a well-formed month", async () => {
    expect((await stack.request("GET", `/v1/reports/purpose?month=${pastMonth}`)).json.code).toBe(
      "ROLE_FORBIDDEN",
    );
    expect((await stack.request("GET", "/v1/reports/purpose?month=2025-13", admin())).json.code).toBe(
      "REQUEST_INVALID",
    );
  });
});

describe("the retention purge (SPEC §1.3)", () => {
  const cutoff = retentionCutoff(today, 24);

  beforeAll(() => {
    const store = stack.daemon.store;
    const online = (id: string, patientKey: PatientKey, day: string) =>
      store.recordConsultation(
        onlineRecord({
          id,
          reference: id,
          patientKey,
          deliveryDate: day,
          consultedAt: at(day),
          commitment: commitment({ coverage: { start: day, end: day } }),
        }),
      );
    online("gone-1", P4, addDays(cutoff, -1));
    online("gone-3", P6, addDays(cutoff, -2));
    store.recordConsultation(
      fallbackRecord({
        id: "gone-2",
        reference: "gone-2",
        patientKey: P5,
        deliveryDate: addDays(cutoff, -20),
        consultedAt: at(addDays(cutoff, -20)),
      }),
    );
    online("kept-1", P4, cutoff);
  });

  it("removes exactly what is past the retention and counts it", async () => {
    const res = await stack.request("POST", "/v1/maintenance/purge", admin());
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      before: cutoff,
      retentionMonths: 24,
      purged: { consultations: 3, commitments: 2, fallbackAnswers: 0, recalls: 1, knownPatients: 1 },
    });
    const get = (id: string) => stack.request("GET", `/v1/consultations/${id}`);
    for (const id of ["gone-1", "gone-2", "gone-3"]) expect((await get(id)).status).toBe(404);
    // (seeded rows carry a minimal answer: read them from the store rather than through the view)
    for (const id of ["kept-1", "old-1", "old-4"])
      expect(stack.daemon.store.getConsultation(id)?.id).toBe(id);
    for (const id of ["gone-1", "gone-2", "gone-3"])
      expect(stack.daemon.store.getConsultation(id)).toBeUndefined();
    expect(stack.daemon.store.knownPatient(P4)).toBeDefined();
    expect(stack.daemon.store.knownPatient(P6)).toBeUndefined();
    expect(stack.daemon.store.commitmentsFor(P4).map((c) => c.consultationId)).toEqual(["kept-1"]);
  });

  it("counts in the metrics, keeps the audit trail verifiable, and finds nothing more the second time", async () => {
    const text = (await stack.request("GET", "/metrics", { token: null })).body as string;
    expect(text).toMatch(/mcn_retention_purged_total\{table="consultations"\} 3/);
    expect(text).toMatch(/mcn_retention_purged_total\{table="commitments"\} 2/);
    expect((await stack.request("GET", "/v1/audit/verify", admin())).json.ok).toBe(true);
    const again = await stack.request("POST", "/v1/maintenance/purge", admin());
    expect(again.json.purged).toEqual({
      consultations: 0,
      commitments: 0,
      fallbackAnswers: 0,
      recalls: 0,
      knownPatients: 0,
    });
    expect(
      (await stack.request("POST", "/v1/maintenance/purge", { token: stack.tokens.pharmacist })).json.code,
    ).toBe("ROLE_FORBIDDEN");
  });

  it("ran once today at start, which the log and the audit trail show", () => {
    expect(
      stack.logs.filter((l) => l.includes('"retention purge"') && l.includes('"trigger":"daily"')),
    ).toHaveLength(1);
  });
});

describe("the tamper-evident audit trail (SPEC §1.5)", () => {
  interface Row {
    seq: number;
    at: string;
    actor: string;
    role: string;
    action: string;
    patient: string | null;
    detail_json: string | null;
    prev_hash: string;
    hash: string;
    seal: string;
  }
  let raw: Database.Database;
  let triggers: string[];
  const verify = async (query = "") => (await stack.request("GET", `/v1/audit/verify${query}`, admin())).json;
  const cli = (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = runCli(
      ["audit", "verify", ...args],
      { MCN_DATA_DIR: stack.config.dataDir },
      { out: (l) => out.push(l), err: (l) => err.push(l) },
    );
    return { code, out: out.join("\n"), err: err.join("\n") };
  };
  const row = (seq: number) =>
    raw.prepare<[number], Row>("SELECT * FROM audit WHERE seq = ?").get(seq) as Row;
  const insert = (r: Row) =>
    raw
      .prepare(
        "INSERT INTO audit (seq, at, actor, role, action, patient, detail_json, prev_hash, hash, seal) VALUES (@seq, @at, @actor, @role, @action, @patient, @detail_json, @prev_hash, @hash, @seal)",
      )
      .run(r);

  beforeAll(() => {
    raw = new Database(join(stack.config.dataDir, DATABASE_FILE));
    // Whoever edits the file directly starts by dropping the append-only triggers.
    triggers = raw
      .prepare<[], { sql: string }>(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit'",
      )
      .all()
      .map((t) => t.sql);
    for (const name of ["audit_append_only_update", "audit_append_only_delete", "audit_append_in_order"])
      raw.exec(`DROP TRIGGER ${name}`);
  });
  afterAll(() => {
    for (const sql of triggers) raw.exec(sql);
    raw.close();
  });

  it("is intact after all the traffic above, over HTTP and from the command line", async () => {
    const head = stack.daemon.store.auditHead();
    expect(head.seq).toBeGreaterThan(20);
    expect(await verify()).toEqual({ ok: true, entries: head.seq, head });
    const res = cli();
    expect(res.code).toBe(0);
    expect(res.out).toBe(`audit trail intact: ${head.seq} entries, head ${head.seq} ${head.hash}`);
  });

  it("finds an edited row", async () => {
    const original = row(3);
    raw.prepare("UPDATE audit SET actor = 'someone-else' WHERE seq = 3").run();
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 3, problem: "altered" });
    expect(cli()).toMatchObject({ code: 1, out: "audit trail broken at entry 3: altered" });
    raw.prepare("UPDATE audit SET actor = ? WHERE seq = 3").run(original.actor);
    expect((await verify()).ok).toBe(true);
  });

  it("finds a deleted row", async () => {
    const original = row(5);
    raw.prepare("DELETE FROM audit WHERE seq = 5").run();
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 5, problem: "removed" });
    expect(cli("--json")).toMatchObject({ code: 1 });
    expect(JSON.parse(cli("--json").out)).toMatchObject({ ok: false, firstBadSeq: 5, problem: "removed" });
    insert(original);
    expect((await verify()).ok).toBe(true);
  });

  it("finds a row inserted in the middle, even with a well-computed hash", async () => {
    const before = row(4);
    raw.exec("UPDATE audit SET seq = -seq WHERE seq > 4; UPDATE audit SET seq = -seq + 1 WHERE seq < 0;");
    const content = {
      at: before.at,
      actor: "intruder",
      role: "admin",
      action: "consultation.recorded",
      patient: null,
      detail: null,
    };
    insert({
      seq: 5,
      ...content,
      detail_json: null,
      prev_hash: before.hash,
      hash: entryHash(before.hash, content),
      seal: "0".repeat(64),
    });
    expect(await verify()).toMatchObject({ ok: false, firstBadSeq: 5, problem: "inserted" });
    expect(cli()).toMatchObject({ code: 1, out: "audit trail broken at entry 5: inserted" });
    raw.exec(
      "DELETE FROM audit WHERE seq = 5; UPDATE audit SET seq = -seq WHERE seq > 5; UPDATE audit SET seq = -seq - 1 WHERE seq < 0;",
    );
    expect((await verify()).ok).toBe(true);
  });

  it("finds entries cut from the end against a head seen earlier", async () => {
    const head = stack.daemon.store.auditHead();
    const last = row(head.seq);
    raw.prepare("DELETE FROM audit WHERE seq = ?").run(head.seq);
    expect((await verify()).ok).toBe(true); // nothing in the rows shows it...
    const anchored = `?anchorSeq=${head.seq}&anchorHash=${head.hash}`;
    expect(await verify(anchored)).toMatchObject({ ok: false, firstBadSeq: head.seq, problem: "removed" });
    expect(cli("--anchor", `${head.seq}:${head.hash}`)).toMatchObject({
      code: 1,
      out: `audit trail broken at entry ${head.seq}: removed`,
    });
    insert(last);
    expect(await verify(anchored)).toMatchObject({ ok: true });
    expect((await verify("?anchorSeq=1")).code).toBe("REQUEST_INVALID");
  });

  it("says how to use the command when it is misused, and is the admin's route", async () => {
    const usage = runCli(["audit"], {}, { out: () => {}, err: () => {} });
    expect(usage).toBe(2);
    expect(cli("--anchor", "12").code).toBe(2);
    expect(
      runCli(
        ["audit", "verify"],
        { MCN_DATA_DIR: join(stack.config.dataDir, "nowhere") },
        { out: () => {}, err: () => {} },
      ),
    ).toBe(2);
    expect(
      (await stack.request("GET", "/v1/audit/verify", { token: stack.tokens.pharmacist })).json.code,
    ).toBe("ROLE_FORBIDDEN");
  });
});
