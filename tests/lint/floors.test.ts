// The floors are enforced, not described: lint the same kind of import the rule must refuse.
import { ESLint, Linter } from "eslint";
import { join } from "node:path";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
// @ts-expect-error: the lint plugin is plain JavaScript, outside the typed sources
import { roomsPlugin } from "../../eslint/rooms.js";

const root = join(import.meta.dirname, "..", "..");
const linter = new Linter({ cwd: root });
const config = [
  {
    files: ["**/*.ts"],
    languageOptions: { parser: tseslint.parser },
    plugins: { rooms: roomsPlugin },
    rules: { "rooms/floors": "error" },
  },
] as Linter.Config[];

async function floorErrors(file: string, code: string): Promise<string[]> {
  const messages = linter.verify(code, config, { filename: join(root, file) });
  expect(messages.filter((m) => m.fatal)).toEqual([]);
  return messages.filter((m) => m.ruleId === "rooms/floors").map((m) => m.message);
}

describe("room import rules", () => {
  it("is on for every source file that npm run lint checks", async () => {
    const eslint = new ESLint({ cwd: root });
    for (const file of ["src/commitment/index.ts", "src/services/consultation.ts", "src/http/app.ts"]) {
      const effective = (await eslint.calculateConfigForFile(join(root, file))) as Linter.Config;
      expect(effective.rules?.["rooms/floors"], file).toEqual([2]);
    }
  });

  it("refuses an upward import from a pure room", async () => {
    const errors = await floorErrors(
      "src/commitment/upward.ts",
      'import { buildApp } from "../http/app.js";\nexport const x = buildApp;\n',
    );
    expect(errors).toEqual([expect.stringContaining("commitment/ may not import http/")]);
  });

  it("refuses a use case importing the web layer or the configuration", async () => {
    const errors = await floorErrors(
      "src/services/upward.ts",
      'import type { Config } from "../config/index.js";\nimport { problem } from "../http/problem.js";\nexport type C = Config;\nexport const p = problem;\n',
    );
    expect(errors).toHaveLength(2);
  });

  it("refuses a cycle: a lower room importing one that imports it", async () => {
    const errors = await floorErrors(
      "src/identifiers/cycle.ts",
      'import { coverageWindow } from "../commitment/index.js";\nexport const c = coverageWindow;\n',
    );
    expect(errors).toEqual([expect.stringContaining("identifiers/ may not import commitment/")]);
  });

  it("accepts a downward import and an import of a shared leaf", async () => {
    const errors = await floorErrors(
      "src/http/downward.ts",
      'import { coverageWindow } from "../commitment/index.js";\nimport { ok } from "../result.js";\nexport const c = [coverageWindow, ok];\n',
    );
    expect(errors).toEqual([]);
  });
});
