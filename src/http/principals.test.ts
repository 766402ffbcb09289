import { describe, expect, it } from "vitest";
import { parseTokensFile } from "./principals.js";
import { negotiateLanguage } from "./language.js";

describe("tokens file", () => {
  it("maps each token to its principal", () => {
    const r = parseTokensFile(
      JSON.stringify({
        tokens: [
          { token: "a".repeat(20), role: "dispensing", name: "counter-1" },
          { token: "b".repeat(20), role: "pharmacist", name: "anne", nihii: "20000014001" },
        ],
      }),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.principals.authenticate(`Bearer ${"b".repeat(20)}`)).toEqual({
      ok: true,
      principal: { name: "anne", role: "pharmacist", nihii: "20000014001" },
    });
    expect(r.principals.authenticate(`Bearer ${"b".repeat(19)}`)).toEqual({
      ok: false,
      code: "AUTH_INVALID",
    });
    expect(r.principals.authenticate("Basic abc")).toEqual({ ok: false, code: "AUTH_REQUIRED" });
    expect(r.principals.authenticate(undefined)).toEqual({ ok: false, code: "AUTH_REQUIRED" });
  });

  it("lists every problem with where it is", () => {
    const r = parseTokensFile(
      JSON.stringify({
        tokens: [
          { token: "short", role: "dispensing", name: "x" },
          { token: "c".repeat(20), role: "boss", name: "" },
          { token: "c".repeat(20), role: "admin", name: "y", nihii: "12" },
        ],
      }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      "tokens[0].token must be a string of at least 16 characters without spaces",
      "tokens[1].role must be one of dispensing, pharmacist, pricing-office, admin",
      "tokens[1].name must be a non-empty string",
      "tokens[2].token is given twice",
      "tokens[2].nihii must be 8 or 11 digits",
    ]);
    expect(parseTokensFile("{").ok).toBe(false);
    expect(parseTokensFile("{}").ok).toBe(false);
  });
});

describe("tokens file: what a principal acts for (SPEC §1.6 mandates)", () => {
  it("reads a mandatary, normalised, and refuses a wrong one with the identifier's code", () => {
    const r = parseTokensFile(
      JSON.stringify({
        tokens: [
          {
            token: "d".repeat(20),
            role: "pricing-office",
            name: "ot",
            mandatary: { kind: "company", id: "BE 0403.170.701" },
          },
        ],
      }),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.principals.authenticate(`Bearer ${"d".repeat(20)}`)).toEqual({
      ok: true,
      principal: { name: "ot", role: "pricing-office", mandatary: { kind: "company", id: "0403170701" } },
    });
    const bad = parseTokensFile(
      JSON.stringify({
        tokens: [
          {
            token: "e".repeat(20),
            role: "pricing-office",
            name: "a",
            mandatary: { kind: "company", id: "0403170702" },
          },
          { token: "f".repeat(20), role: "pricing-office", name: "b", mandatary: { kind: "bank", id: "1" } },
        ],
      }),
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems).toEqual([
      "tokens[0].mandatary.id is not a valid company identifier (BCE_CHECKSUM)",
      'tokens[1].mandatary must be {"kind": "person"|"pharmacy"|"company", "id": "..."}',
    ]);
  });
});

describe("Accept-Language", () => {
  it.each([
    [undefined, "fr"],
    ["nl-BE,nl;q=0.9", "nl"],
    ["de-DE, en;q=0.5, nl;q=0.7", "nl"],
    ["de", "fr"],
    ["en;q=0, nl;q=0.1", "nl"],
  ])("%s → %s", (header, lang) => {
    expect(negotiateLanguage(header, "fr")).toBe(lang);
  });
});
