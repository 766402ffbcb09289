// The console's words: the same keys in the three languages, every key the scripts and the page
// use exists, and the outcome texts are the brochure's wording kept in src/fallback/outcomes.ts.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { outcomeTexts } from "../fallback/outcomes.js";

type Texts = Record<"fr" | "nl" | "en", Record<string, string>>;
const dir = fileURLToPath(new URL(".", import.meta.url));
// A plain ES module served to the browser as is: imported by URL, it stays out of the typecheck.
const moduleUrl = new URL("./texts.js", import.meta.url).href;
const { texts } = (await import(moduleUrl)) as { texts: Texts };

describe("console texts", () => {
  it("has the same keys in fr, nl and en, none empty", () => {
    const keys = Object.keys(texts.fr).sort();
    expect(Object.keys(texts.nl).sort()).toEqual(keys);
    expect(Object.keys(texts.en).sort()).toEqual(keys);
    for (const lang of ["fr", "nl", "en"] as const) {
      for (const [key, value] of Object.entries(texts[lang]))
        expect(value.trim(), `${lang} ${key}`).not.toBe("");
    }
  });

  it("has every key the page and the scripts ask for", () => {
    const used = new Set<string>();
    for (const name of readdirSync(dir)) {
      const source = readFileSync(join(dir, name), "utf8");
      if (name.endsWith(".html")) {
        for (const [, key] of source.matchAll(/data-i18n(?:-label)?="([^"]+)"/g)) used.add(key as string);
      } else if (name.endsWith(".js")) {
        for (const [, key] of source.matchAll(/\bt\("([a-zA-Z.-]+)"/g)) used.add(key as string);
      }
    }
    expect(used.size).toBeGreaterThan(50);
    for (const key of used) expect(texts.fr, key).toHaveProperty([key]);
  });

  it("words each outcome as the brochure does (src/fallback/outcomes.ts)", () => {
    for (const [outcome, byLang] of Object.entries(outcomeTexts)) {
      for (const lang of ["fr", "nl", "en"] as const) {
        expect(texts[lang][`outcome.${outcome}`], `${lang} ${outcome}`).toBe(byLang[lang]);
      }
    }
  });
});
