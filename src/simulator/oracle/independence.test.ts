// The simulator stays independent because lint says so: the real configuration, applied to the
// imports a mirror would need, must refuse them (and accept the shared protocol).
import { ESLint, Linter } from "eslint";
import { join } from "node:path";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..", "..");

async function restrictedImportErrors(file: string, code: string): Promise<string[]> {
  const effective = (await new ESLint({ cwd: root }).calculateConfigForFile(
    join(root, file),
  )) as Linter.Config;
  const rule = effective.rules?.["no-restricted-imports"];
  expect(rule, "no-restricted-imports is on for the simulator").toBeDefined();
  const config = [
    {
      files: ["**/*.ts"],
      languageOptions: { parser: tseslint.parser },
      rules: { "no-restricted-imports": rule },
    },
  ] as Linter.Config[];
  const messages = new Linter({ cwd: root }).verify(code, config, { filename: join(root, file) });
  expect(messages.filter((m) => m.fatal)).toEqual([]);
  return messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("the simulator's independence from the daemon's rules", () => {
  it.each([
    ['import { coverageWindow } from "../commitment/index.js";', "src/simulator/mirror.ts"],
    ['import { addDays } from "../../commitment/calendar.js";', "src/simulator/sts/mirror.ts"],
    ['import { parseNiss } from "../identifiers/index.js";', "src/simulator/mirror.ts"],
    ['import { RETURN_CODES } from "../ehealth/insurability/return-codes.js";', "src/simulator/mirror.ts"],
    ['import { returnCodeFor } from "../ehealth/insurability/index.js";', "src/simulator/mirror.ts"],
    ['import { kindOf } from "../../ehealth/insurability/index.js";', "src/simulator/oracle/mirror.test.ts"],
  ])("refuses %s", async (line, file) => {
    expect((await restrictedImportErrors(file, `${line}\nexport const x = 1;\n`)).length).toBeGreaterThan(0);
  });

  it("accepts the shared protocol: XML, WS-Security, the wire build and parse", async () => {
    const code = [
      'import { parseXml } from "../ehealth/xml/parse.js";',
      'import { verifySamlKeyIdSignature } from "../ehealth/wssec/verify.js";',
      'import { buildInsurabilityResponse, SOA } from "../ehealth/insurability/index.js";',
      "export const x = [parseXml, verifySamlKeyIdSignature, buildInsurabilityResponse, SOA];",
    ].join("\n");
    expect(await restrictedImportErrors("src/simulator/peer.ts", code)).toEqual([]);
  });
});
