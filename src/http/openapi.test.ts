import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadContract, OPENAPI_PATH } from "./openapi.js";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "mcn-openapi-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("loadContract with a cache directory", () => {
  it("gives the same contract from the YAML and from its cached JSON", () => {
    const cacheDir = tempDir();
    const fromYaml = loadContract();
    const first = loadContract(OPENAPI_PATH, { cacheDir });
    const cached = JSON.parse(readFileSync(join(cacheDir, "openapi.json"), "utf8")) as { sha256: string };
    expect(cached.sha256).toMatch(/^[0-9a-f]{64}$/);
    const second = loadContract(OPENAPI_PATH, { cacheDir });
    expect(first).toEqual(fromYaml);
    expect(second).toEqual(fromYaml);
  });

  it("parses the YAML again when it changed, and ignores a broken cache", () => {
    const dir = tempDir();
    const yaml = join(dir, "contract.yaml");
    const write = (id: string) =>
      writeFileSync(yaml, `paths:\n  /v1/x:\n    get:\n      operationId: ${id}\n      x-roles: [admin]\n`);
    write("first");
    expect([...loadContract(yaml, { cacheDir: dir }).operations.keys()]).toEqual(["first"]);
    write("second");
    expect([...loadContract(yaml, { cacheDir: dir }).operations.keys()]).toEqual(["second"]);
    // The cache is what a start reads when the hash matches.
    const { sha256 } = JSON.parse(readFileSync(join(dir, "openapi.json"), "utf8")) as { sha256: string };
    const contract = { paths: { "/v1/y": { get: { operationId: "fromCache", "x-roles": ["admin"] } } } };
    writeFileSync(join(dir, "openapi.json"), JSON.stringify({ sha256, contract }));
    expect([...loadContract(yaml, { cacheDir: dir }).operations.keys()]).toEqual(["fromCache"]);
    writeFileSync(join(dir, "openapi.json"), "{not json");
    expect([...loadContract(yaml, { cacheDir: dir }).operations.keys()]).toEqual(["second"]);
  });
});
