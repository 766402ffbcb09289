// Certificates that run out (issue 15): health and metrics name each certificate expiring within
// 30 days — organisation, personal, the eID once used, the STS's. The daemon's clock is set a few
// weeks before the test PKI's certificates end (they all end together).
import { X509Certificate } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testPki } from "../support/pki.js";
import { startStack, type Stack } from "../support/stack.js";

let stack: Stack;
let daysBefore = 45;
const notAfter = new Date(new X509Certificate(testPki().organisation.certPem).validTo).getTime();
const clock = () => new Date(notAfter - daysBefore * 86_400_000);

beforeAll(async () => {
  stack = await startStack({ session: false, clock });
});
afterAll(() => stack.stop());

const expiring = async () =>
  (await stack.request("GET", "/v1/health", { token: null })).json.certificates.expiring as Array<{
    certificate: string;
    daysLeft: number;
  }>;

describe("certificate expiry warnings", () => {
  it("says nothing 45 days ahead, then names every certificate within 30 days", async () => {
    expect(await expiring()).toEqual([]);
    daysBefore = 20;
    expect((await expiring()).map((e) => [e.certificate, e.daysLeft])).toEqual([
      ["organisation", 20],
      ["personal", 20],
      ["sts", 20],
    ]);
  });

  it("adds the eID once a card was used, and exports the days left as a metric", async () => {
    const pki = testPki();
    const opened = await stack.request("POST", "/v1/sessions", {
      token: stack.tokens.pharmacist,
      body: { method: "eid", pin: pki.eid.pin },
    });
    expect(opened.status).toBe(201);
    expect((await expiring()).map((e) => e.certificate)).toContain("eid");
    const metrics = (await stack.request("GET", "/metrics", { token: null })).body as string;
    expect(metrics).toMatch(/mcn_certificate_expiry_days\{certificate="eid"\} 20/);
  });
});
