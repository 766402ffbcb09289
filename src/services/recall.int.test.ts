// The recall runner under the rules (issue 13, brochure §7.2), with a scripted recheck, a
// temporary store and a manual clock: backoff after an outage, the daily cap, refusals bounded.
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { documentFixture } from "../consultation/__fixtures__/document.js";
import { createLogger } from "../log.js";
import type { Store } from "../store/store.js";
import {
  fallbackRecord,
  ManualClock,
  open,
  sequentialIds,
  TempDir,
} from "../store/__fixtures__/store-fixture.js";
import type { RecheckResult } from "./consultation.js";
import { DAILY_CAP, MAX_REFUSALS, RecallRunner } from "./recall.js";

let dir: TempDir;
let store: Store;
let clock: ManualClock;
let asked = 0;
let next: RecheckResult;

const PROBE_MS = 5000;
const runner = () =>
  new RecallRunner({
    store,
    service: {
      recheck: async () => {
        asked++;
        return next;
      },
    },
    clock: () => clock.now(),
    logger: createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) }),
    minIntervalMs: PROBE_MS,
  });

beforeEach(() => {
  // A weekday morning in Brussels, far from midnight.
  clock = new ManualClock("2011-11-21T08:00:00Z");
  dir = new TempDir();
  store = open(dir.file(), { now: () => clock.now(), newId: sequentialIds() });
  store.recordConsultation(
    fallbackRecord({
      outcome: "last-known",
      guarantee: "basic-principle",
      answer: documentFixture({ outcome: "last-known" }),
    }),
  );
  asked = 0;
});
afterEach(() => {
  store.close();
  dir.remove();
});

describe("RecallRunner under the rules", () => {
  it("after an outage waits, doubling from the probe interval; news (manual, circuit closed) tries at once", async () => {
    next = { type: "outage", kind: "timeout" };
    const r = runner();
    await r.run("online-answer");
    expect(asked).toBe(1);
    await r.run("online-answer");
    expect(asked).toBe(1);
    clock.advance(PROBE_MS);
    await r.run("probe");
    expect(asked).toBe(2);
    // Second wait: twice as long.
    clock.advance(PROBE_MS);
    await r.run("online-answer");
    expect(asked).toBe(2);
    clock.advance(PROBE_MS);
    await r.run("online-answer");
    expect(asked).toBe(3);
    await r.run("circuit-closed");
    await r.run("manual");
    expect(asked).toBe(5);
  });

  it("tries one delivery at most DAILY_CAP times a day, except when a pharmacist asks", async () => {
    next = { type: "outage", kind: "reset" };
    const r = runner();
    for (let i = 0; i < DAILY_CAP + 5; i++) await r.run("circuit-closed");
    expect(asked).toBe(DAILY_CAP);
    await r.run("manual");
    expect(asked).toBe(DAILY_CAP + 1);
    // The next Brussels day: tried again.
    clock.advance(24 * 3600_000);
    await r.run("circuit-closed");
    expect(asked).toBe(DAILY_CAP + 2);
  });

  it("leaves a refused recall to the pharmacist after MAX_REFUSALS tries, with its reason", async () => {
    next = { type: "rejected", code: "MYCARENET_REJECTED", refusal: "SOA-03007" };
    const r = runner();
    for (let i = 0; i < MAX_REFUSALS + 3; i++) await r.run("manual");
    expect(asked).toBe(MAX_REFUSALS);
    const [recall] = store.listRecalls({});
    expect(recall).toMatchObject({ status: "refused", refusal: "SOA-03007", attempts: MAX_REFUSALS });
    expect(store.pendingRecalls()).toEqual([]);
  });
});
