// Roles (security suite, item 4): every operation of openapi.yaml × every role × no token × a
// wrong token × malformed Authorization headers, over loopback. A role the contract does not list
// gets 403 ROLE_FORBIDDEN, a missing token 401 AUTH_REQUIRED (with WWW-Authenticate), a wrong one
// 401 AUTH_INVALID, and a refused request stores nothing; a listed role is never refused for
// who it is. The SPEC §4 table is checked against the contract independently, so that widening
// a route in openapi.yaml alone fails here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadContract, ROLES, type Operation, type Role } from "../../src/http/openapi.js";
import { rawRequest } from "../support/raw-http.js";
import { startStack, type Stack } from "../support/stack.js";
import { rowCounter, type RowCounter } from "../support/store-rows.js";

const contract = loadContract();
const operations = [...contract.operations.values()];
const AUTH_CODES = ["AUTH_REQUIRED", "AUTH_INVALID", "ROLE_FORBIDDEN"];

// SPEC §4 (and the pricing-office rule of §1.6: it reaches its own route only).
const SPEC_ROLES: Record<string, Role[] | "none"> = {
  createConsultation: ["dispensing", "pharmacist"],
  getConsultation: ["dispensing", "pharmacist"],
  listConsultationChanges: ["dispensing", "pharmacist"],
  confirmDelivery: ["dispensing"],
  answerFallback: ["pharmacist"],
  findCommitment: ["dispensing", "pharmacist"],
  createPricingOfficeConsultation: ["pricing-office"],
  createMandate: ["pharmacist"],
  listMandates: ["pharmacist"],
  revokeMandate: ["pharmacist"],
  importConsultation: ["dispensing", "pharmacist"],
  openSession: ["pharmacist"],
  listSessions: ["pharmacist"],
  closeSession: ["pharmacist"],
  listRecalls: ["pharmacist"],
  runRecalls: ["pharmacist"],
  getPurposeReport: ["pharmacist", "admin"],
  verifyAudit: ["admin"],
  getNiss: ["dispensing", "pharmacist", "admin"],
  evaluateFallback: ["dispensing", "pharmacist", "admin"],
  getHealth: "none",
  getMetrics: "none",
};

let stack: Stack;
let rows: RowCounter;
let tokens: Record<Role, string>;
let tried = 0;

// The path of an operation with harmless values, and no body: a listed role then meets a
// validation or not-found error at worst, never its side effect.
const pathOf = (op: Operation) =>
  op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => (name === "value" ? "85073003328" : "unknown-id"));

async function call(op: Operation, authorization: string | undefined) {
  tried++;
  return rawRequest(stack.daemon.url, {
    method: op.method,
    path: pathOf(op),
    headers: authorization === undefined ? {} : { authorization },
  });
}

beforeAll(async () => {
  stack = await startStack();
  tokens = {
    dispensing: stack.tokens.dispensing,
    pharmacist: stack.tokens.pharmacist,
    "pricing-office": stack.tokens.pricingOffice,
    admin: stack.tokens.admin,
  };
  expect(
    (
      await stack.request("POST", "/v1/consultations", {
        body: { patient: { niss: "85073003328" }, reference: "roles-1" },
      })
    ).status,
  ).toBeLessThan(500);
  rows = rowCounter(stack.dataDir);
});

afterAll(async () => {
  rows?.close();
  await stack?.stop();
  console.info(`roles: ${tried} requests over ${operations.length} operations`);
});

describe("the contract agrees with SPEC §4", () => {
  it.each(Object.entries(SPEC_ROLES))("%s → %j", (id, roles) => {
    const op = contract.operations.get(id);
    expect(op, `${id} in openapi.yaml`).toBeDefined();
    expect([...(op?.roles ?? [])].sort()).toEqual(roles === "none" ? [] : [...roles].sort());
  });

  it("only the health, metrics and the console's static files need no token", () => {
    const open = operations.filter((op) => op.roles.length === 0).map((op) => op.operationId);
    expect(
      open.filter((id) => !["getHealth", "getMetrics", "getConsole", "getConsoleAsset"].includes(id)),
    ).toEqual([]);
  });
});

describe.each(operations.map((op) => [`${op.method} ${op.path}`, op] as const))("%s", (_name, op) => {
  const protectedOp = op.roles.length > 0;

  it.each(ROLES.map((r) => [r]))("as %s", async (role) => {
    const before = rows.counts();
    const res = await call(op, `Bearer ${tokens[role]}`);
    if (!protectedOp || op.roles.includes(role)) {
      expect(AUTH_CODES, `${role} is listed on ${op.operationId}`).not.toContain(res.json?.code);
      expect(res.status).not.toBe(401);
    } else {
      expect([res.status, res.json?.code]).toEqual([403, "ROLE_FORBIDDEN"]);
      expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(rows.counts()).toEqual(before);
    }
  });

  it("without a token, and with malformed Authorization headers", async () => {
    for (const header of [undefined, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", "bearer"]) {
      const before = rows.counts();
      const res = await call(op, header);
      if (!protectedOp) {
        expect([401, 403], String(header)).not.toContain(res.status);
        continue;
      }
      expect([res.status, res.json?.code], String(header)).toEqual([401, "AUTH_REQUIRED"]);
      expect(res.headers["www-authenticate"]).toMatch(/^Bearer realm=/);
      expect(rows.counts()).toEqual(before);
    }
  });

  it("with wrong tokens: unknown, truncated, extended, another case, with odd bytes", async () => {
    const real = tokens.admin;
    for (const wrong of [
      "x".repeat(32),
      real.slice(0, -1),
      `${real}x`,
      real.toUpperCase() === real ? real.toLowerCase() : real.toUpperCase(),
      `${real.slice(0, -1)}\u00e9`,
      "a".repeat(10_000),
    ]) {
      const before = rows.counts();
      const res = await call(op, `Bearer ${wrong}`);
      if (!protectedOp) {
        expect([401, 403]).not.toContain(res.status);
        continue;
      }
      expect([res.status, res.json?.code]).toEqual([401, "AUTH_INVALID"]);
      expect(rows.counts()).toEqual(before);
    }
  });
});
