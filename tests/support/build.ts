// The long tests run the daemon and the simulator as real processes (`node dist/main.js`), so
// they need a build. It goes to .data/long-build/dist rather than dist/, which other tools of the
// tree (npm start, the benchmarks) may be using; the files the build finds relative to itself
// (openapi.yaml, package.json, src/console, reference/) are linked beside it. Built once per run.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { withDirectoryLock } from "../../src/simulator/pki/directory-lock.js";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BUILD = join(ROOT, ".data/long-build");

/** The path of a fresh build's dist/ (with main.js, simulator/main.js). */
export async function buildDist(): Promise<string> {
  const dist = join(BUILD, "dist");
  const stampFile = join(BUILD, "stamp");
  // One build per test run: the run is named by its log directory (tests/support/suite-logs.ts).
  const run = process.env["MCN_TEST_LOG_DIR"] ?? String(process.ppid);
  mkdirSync(BUILD, { recursive: true });
  await withDirectoryLock(
    join(ROOT, ".data/long-build-lock"),
    async () => {
      if (
        existsSync(stampFile) &&
        readFileSync(stampFile, "utf8") === run &&
        existsSync(join(dist, "main.js"))
      )
        return;
      rmSync(dist, { recursive: true, force: true });
      const tsc = spawnSync(
        process.execPath,
        [
          join(ROOT, "node_modules/typescript/bin/tsc"),
          "-p",
          join(ROOT, "tsconfig.build.json"),
          "--outDir",
          dist,
        ],
        { cwd: ROOT, encoding: "utf8" },
      );
      if (tsc.status !== 0 || !existsSync(join(dist, "main.js"))) {
        throw new Error(`the build failed:\n${tsc.stdout}\n${tsc.stderr}`);
      }
      for (const name of ["openapi.yaml", "package.json", "src", "reference"]) {
        const link = join(BUILD, name);
        if (!existsSync(link)) symlinkSync(join(ROOT, name), link);
      }
      writeFileSync(stampFile, run);
    },
    { staleMs: 120_000 },
  );
  return dist;
}
