// Every rule the code cites resolves inside this repository (docs/README.md): a citation to a
// section that docs/ does not have fails here, so the reader is never sent outside the repository.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const docs = {
  SPEC: readFileSync(join(root, "docs", "SPEC.md"), "utf8"),
  brochure: readFileSync(join(root, "docs", "brochure.md"), "utf8"),
  notes: readFileSync(join(root, "docs", "protocol-notes.md"), "utf8"),
};

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".") || name === "results") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|js|md|yaml)$/.test(name)) yield path;
  }
}

const headingsOf = (text: string): Set<string> =>
  new Set([...text.matchAll(/^#{2,4} §?([0-9]+(?:\.[0-9]+)*)/gm)].map((m) => m[1] as string));

describe("citations", () => {
  const sources = [
    join(root, "README.md"),
    ...["src", "tests", "bench"].flatMap((d) => [...files(join(root, d))]),
  ];
  const cited = new Map<string, Set<string>>();
  for (const file of sources) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/\b(SPEC|brochure|notes) §([0-9]+(?:\.[0-9]+)*)/g)) {
      const key = `${m[1]} §${m[2]}`;
      if (!cited.has(key)) cited.set(key, new Set());
      cited.get(key)?.add(relative(root, file));
    }
  }

  it("finds the citations it checks", () => {
    expect(cited.size).toBeGreaterThan(20);
  });

  it("resolves every SPEC, brochure and notes section the code cites in docs/", () => {
    const headings = {
      SPEC: headingsOf(docs.SPEC),
      brochure: headingsOf(docs.brochure),
      notes: headingsOf(docs.notes),
    };
    const missing = [...cited]
      .filter(([key]) => {
        const [kind, section] = key.split(" §") as [keyof typeof headings, string];
        return !headings[kind].has(section);
      })
      .map(([key, where]) => `${key} (${[...where].slice(0, 3).join(", ")})`);
    expect(missing).toEqual([]);
  });
});
