// Hostile input over every operation of openapi.yaml (security suite, item 3), read at test time
// so that a new route is covered the day it is added. Two properties per operation:
//  - each request that breaks one rule of a valid example (wrong type, missing or unknown field,
//    too long, odd Unicode, path tricks, a body that is not JSON, too big, too deep...) is refused
//    with a 4xx application/problem+json carrying a catalogue code, and nothing is stored;
//  - anything at all (random path values, query, body, media type, language) never gets a 5xx,
//    and when refused, stores nothing either.
// "Nothing stored": the row count of every table of the daemon's SQLite file, the open sessions
// and the audit head are the same after the request as before.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brusselsDay } from "../../src/commitment/index.js";
import { DEFAULT_INSURABILITY_REJECTION_CODES } from "../../src/purpose/index.js";
import { catalogue, type Code } from "../../src/errors.js";
import { loadContract, type Operation } from "../../src/http/openapi.js";
import { SCENARIO_NISS } from "../../src/simulator/index.js";
import {
  fuzzRequests,
  hostileRequests,
  schemaResolver,
  type Example,
  type HostileRequest,
} from "../support/hostile-requests.js";
import { testPki } from "../support/pki.js";
import { rawRequest, type RawReply } from "../support/raw-http.js";
import { startStack, type Stack } from "../support/stack.js";
import { rowCounter, type RowCounter } from "../support/store-rows.js";

const contract = loadContract();
const resolve = schemaResolver(contract);
const operations = [...contract.operations.values()];
const today = brusselsDay(new Date());
const UNKNOWN_ID = "3f0c9a4e-7c1b-4d2e-9a55-0b6f1e2d3c4b";

// One valid request per operation that takes input; the mutations start from it.
const EXAMPLES: Record<string, Example> = {
  getNiss: { params: { value: SCENARIO_NISS.ordinary } },
  evaluateFallback: { body: { networkAvailable: false, patientKnown: false, sisCard: true } },
  listPendingFallbacks: { query: { limit: "10" } },
  createConsultation: {
    body: { patient: { niss: SCENARIO_NISS.ordinary }, deliveryDate: today, reference: "hostile-1" },
  },
  getConsultation: { params: { id: UNKNOWN_ID } },
  listConsultationChanges: { query: { since: "0" } },
  confirmDelivery: { params: { id: UNKNOWN_ID }, body: { deliveredOn: today } },
  answerFallback: {
    params: { id: UNKNOWN_ID },
    body: {
      answers: [{ node: 6, answer: true, note: "card", data: { ct1: "110", ct2: "110", mutuality: "121" } }],
    },
  },
  listRecalls: { query: { status: "pending", handled: "false", limit: "10" } },
  markRecallHandled: { params: { id: UNKNOWN_ID } },
  findCommitment: { query: { niss: SCENARIO_NISS.ordinary, date: today } },
  openSession: { body: { method: "eid", pin: testPki().options.token.pin } },
  closeSession: { params: { id: UNKNOWN_ID } },
  createPricingOfficeConsultation: {
    body: {
      rejection: {
        invoiceReference: "INV-2026/001",
        reasonCode: DEFAULT_INSURABILITY_REJECTION_CODES[0],
        rejectedOn: today,
      },
      patient: { mutuality: "132", registrationNumber: "0001 13 NB7X" },
      deliveryDate: today,
    },
  },
  createMandate: {
    body: {
      mandatary: { kind: "company", id: "0403170701", name: "Office de tarification" },
      service: "insurability",
      validFrom: today,
      validUntil: today,
      reference: "MAND-1",
    },
  },
  revokeMandate: { params: { id: UNKNOWN_ID } },
  importConsultation: {
    body: {
      patient: { niss: SCENARIO_NISS.ordinary },
      deliveryDate: today,
      reference: "hostile-import",
      source: "portal",
      portal: {
        ct1: "110",
        ct2: "110",
        thirdPartyPayerRegime: "standard",
        mutuality: "319",
        coverage: { start: today, end: today },
        paymentApproval: "A".repeat(32),
        paymentApprovalSeed: "1234567890",
        invoicingOfficeCheckDigit: "SR",
      },
    },
  },
  liftProportionality: { body: { reason: "vaccination day" } },
  getPurposeReport: { query: { month: today.slice(0, 7) } },
  verifyAudit: { query: { anchorSeq: "1", anchorHash: "a".repeat(64) } },
  getConsoleAsset: { params: { version: "0123456789abcdef", file: "main.js" } },
};

const takesInput = (op: Operation) =>
  op.schema.body !== undefined || op.schema.params !== undefined || op.schema.querystring !== undefined;

let stack: Stack;
let rows: RowCounter;
const figures = { mutations: 0, fuzz: 0, refused: 0, accepted: 0, operations: operations.length };

function tokenFor(op: Operation): string | null {
  const role = op.roles[0];
  if (role === undefined) return null;
  const byRole = {
    dispensing: stack.tokens.dispensing,
    pharmacist: stack.tokens.pharmacist,
    "pricing-office": stack.tokens.pricingOffice,
    admin: stack.tokens.admin,
  } as const;
  return byRole[role];
}

function state() {
  return {
    rows: rows.counts(),
    sessions: stack.daemon.sessions.openCount,
    audit: stack.daemon.store.auditHead(),
  };
}

async function send(op: Operation, req: HostileRequest): Promise<RawReply> {
  const token = tokenFor(op);
  return rawRequest(stack.daemon.url, {
    method: req.method,
    path: req.path,
    headers: { ...req.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(req.body === undefined ? {} : { body: req.body }),
  });
}

function expectProblem(reply: RawReply, label: string) {
  const why = `${label} → ${reply.status} ${reply.text.slice(0, 300)}`;
  expect(reply.status, why).toBeGreaterThanOrEqual(400);
  expect(reply.status, why).toBeLessThan(500);
  expect(reply.headers["content-type"], why).toMatch(/^application\/problem\+json/);
  const code = reply.json?.code as Code;
  expect(Object.keys(catalogue), why).toContain(code);
  expect(reply.json, why).toMatchObject({
    status: reply.status,
    type: `urn:mcn-rights:problem:${code}`,
  });
  expect(catalogue[code].status, why).toBe(reply.status);
}

beforeAll(async () => {
  stack = await startStack({
    env: { MCN_GUARD_PATIENT_PER_DAY: "1000", MCN_GUARD_UNCONFIRMED_PATIENTS: "100000" },
  });
  // Something stored already, so that "nothing changed" is not "still empty".
  const made = await stack.request("POST", "/v1/consultations", {
    body: { patient: { niss: SCENARIO_NISS.ordinary }, reference: "hostile-seed" },
  });
  expect(made.status).toBe(201);
  rows = rowCounter(stack.dataDir);
});

afterAll(async () => {
  rows?.close();
  await stack?.stop();
  console.info(`hostile input: ${JSON.stringify(figures)}`);
});

describe("the contract is covered", () => {
  it("every operation that takes input has a valid example to mutate", () => {
    const missing = operations.filter((op) => takesInput(op) && !EXAMPLES[op.operationId]);
    expect(missing.map((op) => op.operationId)).toEqual([]);
    const stale = Object.keys(EXAMPLES).filter((id) => !contract.operations.has(id));
    expect(stale).toEqual([]);
  });
});

describe("a request breaking one rule of the contract: 4xx problem+json, nothing stored", () => {
  const withInput = operations.filter((op) => takesInput(op) && EXAMPLES[op.operationId]);
  it.each(withInput.map((op) => [`${op.method} ${op.path}`, op] as const))("%s", async (_name, op) => {
    const arbitrary = hostileRequests(op, EXAMPLES[op.operationId] as Example, resolve);
    await fc.assert(
      fc.asyncProperty(arbitrary, async (req) => {
        const before = state();
        const reply = await send(op, req);
        figures.mutations++;
        figures.refused++;
        expectProblem(reply, req.label);
        expect(state(), req.label).toEqual(before);
      }),
      { numRuns: 100, seed: 8 },
    );
  });
});

describe("anything at all: never a 5xx; refused means nothing stored", () => {
  it.each(operations.map((op) => [`${op.method} ${op.path}`, op] as const))("%s", async (_name, op) => {
    await fc.assert(
      fc.asyncProperty(fuzzRequests(op), async (req) => {
        const before = state();
        const reply = await send(op, req);
        figures.fuzz++;
        const label = `${req.method} ${req.path} ${req.headers["content-type"] ?? ""} ${String(req.body).slice(0, 80)}`;
        expect(reply.status, `${label} → ${reply.text.slice(0, 200)}`).toBeLessThan(500);
        if (reply.status >= 400) {
          figures.refused++;
          expectProblem(reply, label);
          expect(state(), label).toEqual(before);
        } else figures.accepted++;
      }),
      { numRuns: 40, seed: 9 },
    );
  });
});
