import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { createLogger } from "../log.js";
import { buildApp, type Handlers } from "./app.js";
import { loadContract } from "./openapi.js";
import { Principals } from "./principals.js";
import { ruleHandlers } from "./routes/rules.js";
import { healthHandlers } from "./routes/health.js";

const tokens = { dispensing: "dispensing-token-0001", admin: "admin-token-000000001" };
const lines: string[] = [];
// Operations this file does not exercise: the app insists that every one has a handler.
const unused: Handlers = Object.fromEntries(
  [...loadContract().operations.keys()].map((id) => [
    id,
    async () => Promise.reject(new Error(`${id}: not in this test`)),
  ]),
);
let app: FastifyInstance;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  app = await buildApp({
    logger: createLogger({ destination: sink }),
    principals: new Principals([
      { token: tokens.dispensing, principal: { name: "counter-1", role: "dispensing" } },
      { token: tokens.admin, principal: { name: "admin", role: "admin" } },
    ]),
    handlers: {
      ...unused,
      ...ruleHandlers(),
      ...healthHandlers({
        health: () => ({
          status: "ok",
          version: "t",
          environment: "demo",
          mycarenet: { state: "unknown", since: null },
          sessions: { open: 0 },
        }),
      }),
    },
  });
});
afterAll(() => app.close());

const auth = { authorization: `Bearer ${tokens.dispensing}` };

describe("GET /v1/niss/{value}", () => {
  it("says what a valid number tells, separators removed", async () => {
    const res = await app.inject({ url: "/v1/niss/85.07.30-033.28", headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      valid: true,
      normalized: "85073003328",
      kind: "national",
      birthDate: "1985-07-30",
      sex: "male",
    });
  });

  it("reads a BIS number with the sex unknown", async () => {
    const res = await app.inject({ url: "/v1/niss/87321500544", headers: auth });
    expect(res.json()).toMatchObject({ kind: "bis", birthDate: "1987-12-15", sex: null });
  });

  it.each([
    ["8506130017", "NISS_FORMAT"],
    ["8506130017A", "NISS_FORMAT"],
    ["85061300179", "NISS_CHECKSUM"],
    ["85133000105", "NISS_MONTH"],
  ])("refuses %s with %s as problem+json", async (value, code) => {
    const res = await app.inject({ url: `/v1/niss/${value}`, headers: auth });
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code, status: 400 });
  });

  it("speaks French by default, Dutch or English on request", async () => {
    const fr = await app.inject({ url: "/v1/niss/85061300179", headers: auth });
    const nl = await app.inject({
      url: "/v1/niss/85061300179",
      headers: { ...auth, "accept-language": "nl-BE" },
    });
    const en = await app.inject({
      url: "/v1/niss/85061300179",
      headers: { ...auth, "accept-language": "de, en;q=0.8, fr;q=0.5" },
    });
    expect(fr.json().title).toMatch(/chiffres de contrôle/);
    expect(nl.json().title).toMatch(/controlecijfers/);
    expect(en.json().title).toMatch(/check digits/);
  });
});

describe("authentication and roles", () => {
  it("asks for a token, refuses an unknown one", async () => {
    const none = await app.inject({ url: "/v1/niss/85073003328" });
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe("AUTH_REQUIRED");
    expect(none.headers["www-authenticate"]).toMatch(/^Bearer/);
    const wrong = await app.inject({
      url: "/v1/niss/85073003328",
      headers: { authorization: "Bearer nope-nope-nope-nope" },
    });
    expect(wrong.json().code).toBe("AUTH_INVALID");
  });

  it("lets health through without a token", async () => {
    const res = await app.inject({ url: "/v1/health" });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe("ok");
  });
});

describe("POST /v1/fallback/evaluate", () => {
  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: "POST",
      url: "/v1/fallback/evaluate",
      headers: { ...auth, ...headers },
      payload: payload as object,
    });

  it("walks to a leaf", async () => {
    const res = await post({ networkAvailable: false, patientKnown: true, commitmentCoversDate: true });
    expect(res.json()).toEqual({
      outcome: "reused-commitment",
      guarantee: "payment-commitment",
      dataSource: "stored-commitment",
      path: [1, 2, 3, 4],
      question: null,
    });
  });

  it("asks the first missing question, in the request's language", async () => {
    const res = await post({ networkAvailable: false, patientKnown: false }, { "accept-language": "en" });
    const body = res.json();
    expect(body.outcome).toBe("needs-pharmacist");
    expect(body.path).toEqual([1, 2, 3, 6]);
    expect(body.question).toMatchObject({ node: 6, code: "SIS_CARD" });
    expect(body.question.text).toMatch(/SIS/);
  });

  it("refuses wrong types and unknown facts with REQUEST_INVALID and the path of each", async () => {
    const res = await post({ networkAvailable: "no", sunny: true });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe("REQUEST_INVALID");
    expect(body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(["body/networkAvailable", "body"]),
    );
  });

  it("refuses broken JSON, a non-JSON body and a huge body precisely", async () => {
    const broken = await app.inject({
      method: "POST",
      url: "/v1/fallback/evaluate",
      headers: { ...auth, "content-type": "application/json" },
      payload: "{",
    });
    expect(broken.json().code).toBe("REQUEST_INVALID");
    const text = await app.inject({
      method: "POST",
      url: "/v1/fallback/evaluate",
      headers: { ...auth, "content-type": "text/plain" },
      payload: "hello",
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().code).toBe("UNSUPPORTED_MEDIA_TYPE");
    const huge = await post({ networkAvailable: true, pad: "x".repeat(200_000) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBe("BODY_TOO_LARGE");
  });
});

describe("unknown routes and privacy", () => {
  it("answers 404 as a problem", async () => {
    const res = await app.inject({ url: "/v1/nothing-here", headers: auth });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe("NOT_FOUND");
  });

  it("never writes the NISS of a request URL in the log", async () => {
    lines.length = 0;
    await app.inject({ url: "/v1/niss/85.07.30-033.28", headers: auth });
    await app.inject({ url: "/v1/niss/85073003328", headers: auth });
    const log = lines.join("");
    expect(log).toContain("/v1/niss/:value");
    expect(log).not.toMatch(/85073003328|85\.07\.30/);
    expect(log).not.toContain(tokens.dispensing);
  });
});
