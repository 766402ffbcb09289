import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { entryHash, GENESIS_HASH, sealOf, verifyChain } from "./audit-chain.js";
import type { AuditContent, AuditRow } from "./audit-chain.js";

const KEY = Buffer.alloc(32, 1);
const OTHER_KEY = Buffer.alloc(32, 2);

function content(i: number): AuditContent {
  return {
    at: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(),
    actor: `counter-${i % 3}`,
    role: "dispensing",
    action: "consultation.recorded",
    patient: i % 2 === 0 ? "ab".repeat(32) : null,
    detail: { consultation: `c-${i}`, n: i },
  };
}

/** A chain as the daemon writes it; `key` seals, an attacker without the key uses another. */
function chain(n: number, key = KEY): AuditRow[] {
  const rows: AuditRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    rows.push(forge(i, prev, content(i), key));
    prev = rows[rows.length - 1]?.hash ?? prev;
  }
  return rows;
}

function forge(seq: number, prevHash: string, c: AuditContent, key: Buffer): AuditRow {
  const hash = entryHash(prevHash, c);
  return { seq, ...c, prevHash, hash, seal: sealOf(key, hash) };
}

const renumber = (rows: AuditRow[]): AuditRow[] => rows.map((r, i) => ({ ...r, seq: i + 1 }));

describe("verifyChain", () => {
  it("accepts an intact chain, and the empty one", () => {
    expect(verifyChain(chain(20), KEY)).toEqual({ ok: true, entries: 20 });
    expect(verifyChain([], KEY)).toEqual({ ok: true, entries: 0 });
  });

  it("rejects every row sealed with another key (a lost or replaced key)", () => {
    expect(verifyChain(chain(3), OTHER_KEY)).toEqual({ ok: false, firstBadSeq: 1, problem: "altered" });
  });

  it("finds an edit that left the hash alone", () => {
    const rows = chain(10);
    rows[4] = { ...rows[4]!, action: "consultation.deleted" };
    expect(verifyChain(rows, KEY)).toEqual({ ok: false, firstBadSeq: 5, problem: "altered" });
  });

  it("finds an edit whose hash was recomputed without the key", () => {
    const rows = chain(10);
    const r = rows[4]!;
    rows[4] = forge(5, r.prevHash, { ...r, actor: "someone-else" }, OTHER_KEY);
    expect(verifyChain(rows, KEY)).toEqual({ ok: false, firstBadSeq: 5, problem: "altered" });
  });

  it("finds a removed row, with or without renumbering", () => {
    const rows = chain(10);
    const gap = rows.filter((r) => r.seq !== 4);
    expect(verifyChain(gap, KEY)).toEqual({ ok: false, firstBadSeq: 4, problem: "removed" });
    expect(verifyChain(renumber(gap), KEY)).toEqual({ ok: false, firstBadSeq: 4, problem: "removed" });
  });

  it("finds a row slipped in, forged or even sealed with the right key", () => {
    for (const key of [OTHER_KEY, KEY]) {
      const rows = chain(10);
      const forged = forge(0, rows[5]!.hash, content(99), key);
      const inserted = renumber([...rows.slice(0, 6), forged, ...rows.slice(6)]);
      expect(verifyChain(inserted, KEY)).toEqual({ ok: false, firstBadSeq: 7, problem: "inserted" });
    }
  });

  it("finds a row appended without the key", () => {
    const rows = chain(5);
    rows.push(forge(6, rows[4]!.hash, content(6), OTHER_KEY));
    expect(verifyChain(rows, KEY)).toEqual({ ok: false, firstBadSeq: 6, problem: "inserted" });
  });

  it("finds rows cut from the end when given an earlier head", () => {
    const rows = chain(10);
    const anchor = { seq: 10, hash: rows[9]!.hash };
    expect(verifyChain(rows, KEY, anchor)).toEqual({ ok: true, entries: 10 });
    expect(verifyChain(rows.slice(0, 8), KEY, anchor)).toEqual({
      ok: false,
      firstBadSeq: 9,
      problem: "removed",
    });
    expect(verifyChain(rows, KEY, { seq: 10, hash: "f".repeat(64) })).toEqual({
      ok: false,
      firstBadSeq: 10,
      problem: "altered",
    });
  });

  it("closes the row source when it stops early", () => {
    let closed = false;
    const rows = chain(5);
    rows[1] = { ...rows[1]!, actor: "x" };
    function* source(): Generator<AuditRow> {
      try {
        yield* rows;
      } finally {
        closed = true;
      }
    }
    expect(verifyChain(source(), KEY).ok).toBe(false);
    expect(closed).toBe(true);
  });

  it("detects any single change to any field of any row, at that row", () => {
    const fields = [
      "at",
      "actor",
      "role",
      "action",
      "patient",
      "detail",
      "prevHash",
      "hash",
      "seal",
    ] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.nat(),
        fc.constantFrom(...fields),
        fc.string({ minLength: 1 }),
        (n, pick, field, junk) => {
          const rows = chain(n);
          const i = pick % n;
          const row = rows[i]!;
          const changed: AuditRow =
            field === "detail"
              ? { ...row, detail: { junk } }
              : { ...row, [field]: `${String(row[field])}${junk}` };
          rows[i] = changed;
          const result = verifyChain(rows, KEY);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.firstBadSeq).toBe(row.seq);
        },
      ),
    );
  });
});
