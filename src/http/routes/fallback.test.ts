// The pharmacist's fallback routes through `app.inject`: the pending list and the answers.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { niss } from "../../store/__fixtures__/store-fixture.js";
import { as, injectApp, type InjectApp } from "../__fixtures__/inject-app.js";

const NISS = niss("750615123");
let t: InjectApp;
let id: string;

beforeEach(async () => {
  t = await injectApp();
  t.upstream.script({ outage: "timeout" });
  const res = await t.app.inject({
    method: "POST",
    url: "/v1/consultations",
    headers: as("dispensing"),
    payload: { patient: { niss: NISS }, reference: "T" },
  });
  id = (res.json() as { id: string }).id;
});
afterEach(() => t.close());

const answer = (payload: object, who: "pharmacist" | "dispensing" = "pharmacist") =>
  t.app.inject({
    method: "POST",
    url: `/v1/consultations/${id}/fallback-answers`,
    headers: as(who),
    payload,
  });

describe("fallback routes", () => {
  it("lists the consultation as pending for the pharmacist", async () => {
    const res = await t.app.inject({ url: "/v1/fallback/pending", headers: as("pharmacist") });
    expect(res.statusCode).toBe(200);
    expect(JSON.stringify(res.json())).toContain(id);
  });

  it("stores the SIS card's answer and returns the new outcome", async () => {
    const res = await answer({
      answers: [{ node: 6, answer: true, data: { ct1: "110", ct2: "110", mutuality: "319" } }],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, outcome: "sis-card", source: "store" });
    expect(t.w.store.fallbackAnswers(id)).toHaveLength(1);
  });

  it("only a pharmacist answers; a refused answer changes nothing", async () => {
    expect((await answer({ answers: [{ node: 6, answer: false }] }, "dispensing")).statusCode).toBe(403);
    const res = await answer({ answers: [{ node: 6, answer: true }] });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe("FALLBACK_DATA_REQUIRED");
    expect(t.w.store.fallbackAnswers(id)).toEqual([]);
  });
});
