// Results obtained elsewhere (SPEC §1.6, brochure §9.3.3) through HTTP: a Recip-e answer (bare,
// or in its SOAP envelope) and a portal result typed by the pharmacist are recorded as the
// consultation of a delivery without asking MyCareNet; their commitment is found as an online
// one's; a fallback delivery is settled by one; each bad import is refused with its code and
// changes nothing; the purpose report counts them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, brusselsDay } from "../../src/commitment/index.js";
import { returnCodeFor } from "../../src/ehealth/insurability/index.js";
import { SCENARIO_NISS } from "../../src/simulator/index.js";
import { startStack, type Reply, type Stack } from "../support/stack.js";
import { rowCounter, type RowCounter } from "../support/store-rows.js";
import { SAMPLES_DIR } from "../support/xmltools.js";

const SAMPLE = readFileSync(
  join(SAMPLES_DIR, "insurability-pharmacist-GetInsurabilityForPharmacistResponse-v2.synthetic.xml"),
  "utf8",
);
const V1_MOCK = readFileSync(
  join(SAMPLES_DIR, "insurability-pharmacist-response-mock-v1.from-recipe-connector.xml"),
  "utf8",
);
const today = brusselsDay(new Date());
const NISS = SCENARIO_NISS.ordinary;
let approvals = 0;
const approval = () => `RECIPE${String(++approvals).padStart(26, "0")}`;

/** The reference sample made about `niss` and `date`, with its own payment approval. */
function recipeXml(o: { niss?: string; date: string; requested?: string; paymentApproval?: string }): string {
  return SAMPLE.replace("<ic:Ssin>80010100107</ic:Ssin>", `<ic:Ssin>${o.niss ?? NISS}</ic:Ssin>`)
    .replace(
      "<ic:Requested>2024-01-15</ic:Requested>",
      `<ic:Requested>${o.requested ?? o.date}</ic:Requested>`,
    )
    .replace("<ic:Communicated>2024-01-15</ic:Communicated>", `<ic:Communicated>${today}</ic:Communicated>`)
    .replace("<ic:BeginDate>2024-01-15</ic:BeginDate>", `<ic:BeginDate>${o.date}</ic:BeginDate>`)
    .replace("<ic:EndDate>2024-02-13</ic:EndDate>", `<ic:EndDate>${addDays(o.date, 29)}</ic:EndDate>`)
    .replace("39600121923C557676D835909102871A", o.paymentApproval ?? approval());
}
const inEnvelope = (xml: string, messageId: string) =>
  `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Header><a:MessageID xmlns:a="http://www.w3.org/2005/08/addressing">${messageId}</a:MessageID></s:Header><s:Body>${xml.replace(/^<\?xml[^>]*\?>/, "")}</s:Body></s:Envelope>`;

const portal = (date: string, over: Record<string, unknown> = {}) => ({
  ct1: "110",
  ct2: "110",
  thirdPartyPayerRegime: "standard",
  mutuality: "319",
  coverage: { start: date, end: addDays(date, 29) },
  paymentApproval: approval(),
  paymentApprovalSeed: "5765675776",
  invoicingOfficeCheckDigit: "SR",
  ...over,
});

let stack: Stack;
let rows: RowCounter;
beforeAll(async () => {
  stack = await startStack();
  rows = rowCounter(stack.dataDir);
});
afterAll(async () => {
  rows?.close();
  await stack?.stop();
  console.info(`import refusals tried: ${JSON.stringify(tried)}`);
});

const importing = (body: object, token = stack.tokens.pharmacist) =>
  stack.request("POST", "/v1/consultations/import", { token, body });

const tried: Array<[string, string]> = [];
async function refused(label: string, body: object, status: number, code: string): Promise<Reply> {
  const before = { rows: rows.counts(), audit: stack.daemon.store.auditHead() };
  const calls = stack.demo.simulator.upstreamCalls();
  const res = await importing(body);
  tried.push([label, res.json.code]);
  expect([res.status, res.json.code], JSON.stringify(res.json)).toEqual([status, code]);
  expect({ rows: rows.counts(), audit: stack.daemon.store.auditHead() }).toEqual(before);
  expect(stack.demo.simulator.upstreamCalls()).toBe(calls);
  return res;
}

describe("a Recip-e answer", () => {
  it("is recorded as the delivery's consultation, without asking MyCareNet, its commitment usable", async () => {
    const date = addDays(today, -1);
    const calls = stack.demo.simulator.upstreamCalls();
    const xml = recipeXml({ date });
    const res = await importing(
      {
        patient: { niss: NISS },
        deliveryDate: date,
        reference: "rx-1",
        source: "recipe",
        response: xml,
        messageId: "uuid:rx-1",
      },
      stack.tokens.dispensing,
    );
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      source: "recipe",
      import: { source: "recipe", messageId: "uuid:rx-1", typedBy: null, resolves: null },
      outcome: "online",
      guarantee: "payment-commitment",
      insured: true,
      entitlement: { ct1: "110", ct2: "110", thirdPartyPayerRegime: "standard" },
      commitment: { coverage: { start: date, end: addDays(date, 29) }, invoicingOfficeCheckDigit: "SR" },
      returnCode: { major: "01", minor: "00", detail: "00000" },
      session: null,
    });
    expect(stack.demo.simulator.upstreamCalls()).toBe(calls);
    const stored = await stack.request("GET", `/v1/consultations/${res.json.id}`);
    expect(stored.json).toMatchObject({
      id: res.json.id,
      source: "recipe",
      import: { messageId: "uuid:rx-1" },
    });
    const [entry] = stack.daemon.store.auditEntries(stack.daemon.store.auditHead().seq);
    expect(entry).toMatchObject({
      action: "consultation.imported",
      detail: { consultation: res.json.id, source: "recipe" },
    });
    // Read before the look-up below, which is audited too (issue 14).
    // SPEC §1.3 reuse: from its consultation date on (today), as an online commitment.
    const found = await stack.request("GET", `/v1/commitments?niss=${NISS}&date=${today}`);
    expect(found.json).toMatchObject({
      consultationId: res.json.id,
      paymentApproval: res.json.commitment.paymentApproval,
    });
  });

  it("is read inside its SOAP envelope, the message id taken from wsa:MessageID", async () => {
    const date = addDays(today, -2);
    const res = await importing({
      patient: { niss: NISS },
      deliveryDate: date,
      reference: "rx-2",
      source: "recipe",
      response: inEnvelope(recipeXml({ date }), "uuid:rx-2"),
    });
    expect(res.status).toBe(201);
    expect(res.json.import.messageId).toBe("uuid:rx-2");
  });
});

describe("a portal result typed by the pharmacist", () => {
  it("is recorded, marked typed with who typed it, its commitment usable", async () => {
    const date = addDays(today, -3);
    const typed = portal(date);
    const res = await importing({
      patient: { niss: NISS },
      deliveryDate: date,
      reference: "portal-1",
      source: "portal",
      portal: typed,
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      source: "portal",
      import: { source: "portal", typedBy: { name: "pharmacist" }, messageId: null },
      returnCode: null,
      guarantee: "payment-commitment",
      commitment: { paymentApproval: typed.paymentApproval, coverage: { start: date } },
      patient: { niss: NISS, mutuality: "319" },
    });
    expect(res.json.import.typedBy.nihii).toMatch(/^[0-9]{11}$/);
    const found = await stack.request("GET", `/v1/commitments?niss=${NISS}&date=${today}`);
    expect(found.json.consultationId).toBe(res.json.id);
  });
});

describe("a bad import: a precise code, nothing stored, MyCareNet not asked", () => {
  const date = addDays(today, -4);
  const recipe = (response: string, over: object = {}) => ({
    patient: { niss: NISS },
    deliveryDate: date,
    reference: "rx-bad",
    source: "recipe",
    response,
    ...over,
  });
  const typed = (over: Record<string, unknown>, body: object = {}) => ({
    patient: { niss: NISS },
    deliveryDate: date,
    reference: "portal-bad",
    source: "portal",
    portal: portal(date, over),
    ...body,
  });
  it.each([
    [
      "not XSD-valid (31-character approval)",
      () => recipe(recipeXml({ date, paymentApproval: "X".repeat(31) })),
      400,
      "IMPORT_XSD_INVALID",
    ],
    ["the Recip-e connector's v1 mock", () => recipe(V1_MOCK), 400, "IMPORT_XSD_INVALID"],
    ["not XML", () => recipe("<ins:GetInsurability"), 400, "IMPORT_XSD_INVALID"],
    ["another service's answer", () => recipe("<a:Other xmlns:a='urn:x'/>"), 400, "IMPORT_XSD_INVALID"],
    [
      "eHealth's status alone",
      () =>
        recipe(
          SAMPLE.replace(/<ins:CommonOutput>[\s\S]*<\/ins:InsurabilityResponse>/, "").replace(
            "<Code>200</Code>",
            "<Code>500</Code>",
          ),
        ),
      422,
      "IMPORT_NOT_AN_ANSWER",
    ],
    [
      // MyCareNet says the insurer did not answer, so there is no Coverage (issue 13: with a
      // Coverage and its Verification an answer is insured whatever its code).
      "an insurer-unavailable return code",
      () => {
        const rc = returnCodeFor("insurer-unavailable");
        return recipe(
          recipeXml({ date })
            .replace("<ic:Major>01</ic:Major>", `<ic:Major>${rc.major}</ic:Major>`)
            .replace("<ic:Minor>00</ic:Minor>", `<ic:Minor>${rc.minor}</ic:Minor>`)
            .replace(/<ic:Coverage>[\s\S]*?<\/ic:Coverage>/, "")
            .replace(/<ic:Verification>[\s\S]*?<\/ic:Verification>/, ""),
        );
      },
      422,
      "IMPORT_NOT_AN_ANSWER",
    ],
    [
      "another patient",
      () => recipe(recipeXml({ date, niss: SCENARIO_NISS.preferential })),
      422,
      "IMPORT_PATIENT_MISMATCH",
    ],
    [
      "another date asked",
      () => recipe(recipeXml({ date, requested: addDays(date, -1) })),
      422,
      "IMPORT_DATE_MISMATCH",
    ],
    [
      "a delivery date in the future",
      () => recipe(recipeXml({ date }), { deliveryDate: addDays(today, 1) }),
      400,
      "DATE_IN_FUTURE",
    ],
    [
      "a message id other than the envelope's",
      () => recipe(inEnvelope(recipeXml({ date }), "uuid:a"), { messageId: "uuid:b" }),
      400,
      "IMPORT_DATA_INVALID",
    ],
    ["recipe without its response", () => ({ ...typed({}), source: "recipe" }), 400, "REQUEST_INVALID"],
    [
      "portal: a 31-character payment approval",
      () => typed({ paymentApproval: "A".repeat(31) }),
      400,
      "IMPORT_DATA_INVALID",
    ],
    [
      "portal: a 9-character seed",
      () => typed({ paymentApprovalSeed: "123456789" }),
      400,
      "IMPORT_DATA_INVALID",
    ],
    [
      "portal: a payment approval holding a NUL",
      () => typed({ paymentApproval: `${"A".repeat(31)}\u0000` }),
      400,
      "IMPORT_DATA_INVALID",
    ],
    [
      "portal: a coverage end that is no calendar day",
      () => typed({ coverage: { start: date, end: "2026-02-30" } }),
      400,
      "IMPORT_DATA_INVALID",
    ],
    ["portal: a CT1 of 2 digits", () => typed({ ct1: "11" }), 400, "IMPORT_DATA_INVALID"],
    [
      "portal: a mutuality that does not exist",
      () => typed({ mutuality: "800" }),
      400,
      "IMPORT_DATA_INVALID",
    ],
    [
      "portal: a coverage ending before it starts",
      () => typed({ coverage: { start: date, end: addDays(date, -1) } }),
      400,
      "IMPORT_DATA_INVALID",
    ],
    [
      "portal: a coverage that does not contain the date",
      () => typed({ coverage: { start: addDays(date, 1), end: addDays(date, 20) } }),
      422,
      "IMPORT_DATE_MISMATCH",
    ],
    [
      "portal: with a response as well",
      () => typed({}, { response: recipeXml({ date }) }),
      400,
      "REQUEST_INVALID",
    ],
    [
      "settling a consultation that does not exist",
      () => typed({}, { resolves: "3f0c9a4e-7c1b-4d2e-9a55-0b6f1e2d3c4b" }),
      404,
      "CONSULTATION_NOT_FOUND",
    ],
  ] as const)("%s", async (label, body, status, code) => {
    await refused(label, body(), status, code);
  });

  it("names each wrong typed field", async () => {
    const res = await refused(
      "portal: three wrong fields",
      typed({ paymentApproval: "A", invoicingOfficeCheckDigit: "S", ct2: "1x1" }),
      400,
      "IMPORT_DATA_INVALID",
    );
    expect(res.json.errors.map((e: { path: string }) => e.path)).toEqual([
      "body/portal/ct2",
      "body/portal/paymentApproval",
      "body/portal/invoicingOfficeCheckDigit",
    ]);
  });

  it("refuses the same message or the same payment approval twice", async () => {
    const d = addDays(today, -5);
    const first = await importing({
      patient: { niss: NISS },
      deliveryDate: d,
      reference: "rx-dup",
      source: "recipe",
      response: recipeXml({ date: d, paymentApproval: "D".repeat(32) }),
      messageId: "uuid:dup",
    });
    expect(first.status).toBe(201);
    await refused(
      "the same message id",
      {
        patient: { niss: NISS },
        deliveryDate: d,
        reference: "rx-dup2",
        source: "recipe",
        response: recipeXml({ date: d }),
        messageId: "uuid:dup",
      },
      409,
      "IMPORT_DUPLICATE",
    );
    await refused(
      "the same payment approval",
      {
        patient: { niss: NISS },
        deliveryDate: d,
        reference: "portal-dup",
        source: "portal",
        portal: portal(d, { paymentApproval: "D".repeat(32) }),
      },
      409,
      "IMPORT_DUPLICATE",
    );
    // An online consultation is no fallback delivery to settle.
    await refused(
      "settling an online consultation",
      {
        patient: { niss: NISS },
        deliveryDate: d,
        reference: "portal-x",
        source: "portal",
        portal: portal(d),
        resolves: first.json.id,
      },
      409,
      "IMPORT_NOT_RESOLVABLE",
    );
  });
});

describe("settling a fallback delivery with the portal's result", () => {
  it("resolves its recall and takes its question off the pharmacist's queue", async () => {
    const niss = SCENARIO_NISS.preferential;
    const date = addDays(today, -1);
    stack.demo.simulator.faults.set({ all: { kind: "down" } });
    let pending: Reply;
    try {
      pending = await stack.request("POST", "/v1/consultations", {
        body: { patient: { niss }, deliveryDate: date, reference: "fb-1" },
      });
    } finally {
      stack.demo.simulator.faults.clear();
    }
    expect(pending.json.outcome).toBe("needs-pharmacist");
    const queue = async () =>
      (
        await stack.request("GET", "/v1/fallback/pending", { token: stack.tokens.pharmacist })
      ).json.consultations.map((c: { id: string }) => c.id);
    expect(await queue()).toContain(pending.json.id);
    // Another patient's result cannot settle it.
    await refused(
      "settling another patient's delivery",
      {
        patient: { niss: NISS },
        deliveryDate: date,
        reference: "fb-1",
        source: "portal",
        portal: portal(date),
        resolves: pending.json.id,
      },
      409,
      "IMPORT_NOT_RESOLVABLE",
    );
    const res = await importing({
      patient: { niss },
      deliveryDate: date,
      reference: "fb-1",
      source: "portal",
      portal: portal(date, { ct1: "131", ct2: "131", thirdPartyPayerRegime: "elevated" }),
      resolves: pending.json.id,
    });
    expect(res.status).toBe(201);
    expect(res.json.import.resolves).toBe(pending.json.id);
    expect(await queue()).not.toContain(pending.json.id);
    // Its questions are no longer asked.
    const late = await stack.request("POST", `/v1/consultations/${pending.json.id}/fallback-answers`, {
      token: stack.tokens.pharmacist,
      body: { answers: [{ node: pending.json.fallback.question.node, answer: false }] },
    });
    expect([late.status, late.json.code]).toEqual([409, "FALLBACK_NOT_PENDING"]);
    const recalls = await stack.request("GET", "/v1/recalls", { token: stack.tokens.pharmacist });
    const recall = recalls.json.recalls.find(
      (r: { consultationId: string }) => r.consultationId === pending.json.id,
    );
    expect(recall).toMatchObject({
      status: "confirmed",
      online: { consultationId: res.json.id, insured: true },
    });
  });
});

describe("the purpose report", () => {
  it("counts imported results as consultations, by source", async () => {
    const report = await stack.request("GET", `/v1/reports/purpose?month=${today.slice(0, 7)}`, {
      token: stack.tokens.pharmacist,
    });
    expect(report.status).toBe(200);
    // Recorded above: recipe rx-1, rx-2, rx-dup; portal portal-1, fb-1 (when the month holds them all).
    const expected = stack.daemon.store.imports.sourcesBetween(`${today.slice(0, 7)}-01`, addDays(today, 1));
    const count = (s: string) => [...expected.values()].filter((v) => v === s).length;
    expect(report.json.consultations.imported).toEqual({ recipe: count("recipe"), portal: count("portal") });
    expect(count("recipe") + count("portal")).toBe(5);
    expect(report.json.consultations.total).toBeGreaterThanOrEqual(5);
  });
});
