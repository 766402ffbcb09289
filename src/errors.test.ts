import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { catalogue, messageFor, type Code } from "./errors.js";
import { OPENAPI_PATH } from "./http/openapi.js";

describe("the error catalogue", () => {
  it("is the list openapi.yaml documents, both ways", () => {
    const doc = parse(readFileSync(OPENAPI_PATH, "utf8")) as {
      components: { schemas: { ErrorCode: { enum: string[] } } };
    };
    const documented = [...doc.components.schemas.ErrorCode.enum].sort();
    expect(documented).toEqual(Object.keys(catalogue).sort());
  });

  it("has a distinct, non-empty message in each language for every code", () => {
    for (const code of Object.keys(catalogue) as Code[]) {
      const fr = messageFor(code, "fr");
      const nl = messageFor(code, "nl");
      const en = messageFor(code, "en");
      for (const m of [fr, nl, en]) expect(m.length, code).toBeGreaterThan(10);
      expect(new Set([fr, nl, en]).size, code).toBe(3);
    }
  });

  it("gives every error a 4xx or 5xx status and every warning 200", () => {
    for (const [code, entry] of Object.entries(catalogue)) {
      if (entry.kind === "warning") expect(entry.status, code).toBe(200);
      else expect(entry.status >= 400 && entry.status < 600, code).toBe(true);
    }
  });
});
