import { describe, expect, it } from "vitest";
import { makeBce, makeNihii, makeNiss } from "../identifiers/index.js";
import {
  checkNewMandate,
  checkRevocation,
  mandateInForce,
  mandateState,
  readMandatary,
  type Mandate,
  type MandateTerms,
} from "./mandate.js";

const PHARMACY = makeNihii(123456);
const HOLDER = makeNiss({ birthDate: "1970-05-04", sequence: 13 });
const COMPANY = makeBce(4031707);
const today = "2026-03-10";

const terms = (over: Partial<MandateTerms> = {}): MandateTerms => ({
  mandatary: { kind: "company", id: COMPANY, name: "Office de tarification" },
  service: "insurability",
  validFrom: "2026-03-01",
  validUntil: "2026-12-31",
  reference: "MAND-1",
  ...over,
});
const record = (over: Partial<Mandate> = {}): Mandate => ({
  ...terms(),
  id: "m-1",
  createdAt: "2026-03-01T08:00:00.000Z",
  createdBy: "pharmacist",
  revoked: null,
  ...over,
});
const ctx = (existing: Mandate[] = []) => ({ today, pharmacyNihii: PHARMACY, holderSsin: HOLDER, existing });

describe("readMandatary", () => {
  it("normalises each kind with its own rule", () => {
    expect(readMandatary({ kind: "company", id: `BE ${COMPANY.slice(0, 4)}.${COMPANY.slice(4)}` })).toEqual({
      ok: true,
      value: { kind: "company", id: COMPANY },
    });
    expect(readMandatary({ kind: "pharmacy", id: PHARMACY })).toMatchObject({ ok: true });
    expect(readMandatary({ kind: "person", id: HOLDER })).toMatchObject({ ok: true });
  });
  it.each([
    ["company", "0403170702", "BCE_CHECKSUM"],
    ["company", "12345", "BCE_FORMAT"],
    ["pharmacy", "12345678", "NIHII_CHECKSUM"],
    ["pharmacy", makeNihii(123456, "001"), "NIHII_FORMAT"],
    ["person", "85073003329", "NISS_CHECKSUM"],
    ["person", "8507300332", "NISS_FORMAT"],
  ] as const)("%s %s: %s", (kind, id, code) => {
    expect(readMandatary({ kind, id })).toMatchObject({ ok: false, code });
  });
});

describe("checkNewMandate", () => {
  it("accepts a mandate for a free period", () => {
    expect(checkNewMandate(terms(), ctx()).ok).toBe(true);
  });
  it("refuses a period that ends before it starts, or has already ended", () => {
    expect(checkNewMandate(terms({ validUntil: "2026-02-28" }), ctx())).toMatchObject({
      code: "MANDATE_PERIOD_INVALID",
    });
    expect(
      checkNewMandate(terms({ validFrom: "2026-01-01", validUntil: "2026-03-09" }), ctx()),
    ).toMatchObject({ code: "MANDATE_PERIOD_INVALID" });
  });
  it("refuses the pharmacy or its titular pharmacist as its own mandatary", () => {
    for (const mandatary of [
      { kind: "pharmacy" as const, id: PHARMACY, name: "x" },
      { kind: "person" as const, id: HOLDER, name: "x" },
    ]) {
      expect(checkNewMandate(terms({ mandatary }), ctx())).toMatchObject({ code: "MANDATE_TO_ITSELF" });
    }
  });
  it("refuses a second mandate for the service over any common day, but not after a revocation", () => {
    const existing = record({ validFrom: "2026-06-01", validUntil: "2026-06-30" });
    expect(checkNewMandate(terms({ validUntil: "2026-06-01" }), ctx([existing]))).toMatchObject({
      code: "MANDATE_OVERLAP",
      detail: { mandate: "m-1" },
    });
    expect(checkNewMandate(terms({ validFrom: "2026-06-30" }), ctx([existing])).ok).toBe(false);
    expect(checkNewMandate(terms({ validUntil: "2026-05-31" }), ctx([existing])).ok).toBe(true);
    const revoked = { ...existing, revoked: { at: "2026-03-05T10:00:00Z", by: "pharmacist" } };
    expect(checkNewMandate(terms(), ctx([revoked])).ok).toBe(true);
  });
});

describe("mandateInForce and revocation", () => {
  const who = { kind: "company" as const, id: COMPANY };
  it("finds the mandate only inside its period, for its mandatary, while not revoked", () => {
    const m = record();
    expect(mandateInForce([m], who, "insurability", "2026-03-01")?.id).toBe("m-1");
    expect(mandateInForce([m], who, "insurability", "2026-12-31")?.id).toBe("m-1");
    expect(mandateInForce([m], who, "insurability", "2027-01-01")).toBeUndefined();
    expect(mandateInForce([m], who, "insurability", "2026-02-28")).toBeUndefined();
    expect(mandateInForce([m], { kind: "company", id: makeBce(1) }, "insurability", today)).toBeUndefined();
    expect(mandateInForce([m], { kind: "pharmacy", id: COMPANY }, "insurability", today)).toBeUndefined();
    const revoked = record({ revoked: { at: "2026-03-05T10:00:00Z", by: "p" } });
    expect(mandateInForce([revoked], who, "insurability", today)).toBeUndefined();
  });
  it("says why a mandate cannot be revoked", () => {
    expect(checkRevocation(undefined)).toMatchObject({ code: "MANDATE_NOT_FOUND" });
    expect(checkRevocation(record({ revoked: { at: "x", by: "p" } }))).toMatchObject({
      code: "MANDATE_ALREADY_REVOKED",
    });
    expect(checkRevocation(record()).ok).toBe(true);
  });
  it("reads the state on a day", () => {
    expect(mandateState(record(), today)).toBe("active");
    expect(mandateState(record(), "2027-01-01")).toBe("expired");
    expect(mandateState(record(), "2026-02-01")).toBe("future");
    expect(mandateState(record({ revoked: { at: "x", by: "p" } }), today)).toBe("revoked");
  });
});
