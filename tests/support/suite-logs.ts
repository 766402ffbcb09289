// The privacy check over the whole suite's logs. The global setup points MCN_TEST_LOG_DIR at a
// fresh directory (src/log.ts copies every line any logger writes there, one file per process);
// after the last test file the teardown searches them with findLeaks. A leak fails the run:
// vitest ignores what a teardown throws, so the exit code is set instead, and the findings are
// printed with the secret itself masked.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { TEST_PKI_DIR } from "./pki.js";
import { findLeaks, type Leak } from "./privacy.js";

const RUNS_DIR = resolve(TEST_PKI_DIR, "../test-logs");

export interface SuiteLogs {
  dir: string;
}

export function collectSuiteLogs(): SuiteLogs {
  // Earlier runs are not ours to search; those of the last day stay for reading (and a run still
  // going in the same tree keeps its directory).
  mkdirSync(RUNS_DIR, { recursive: true });
  for (const name of readdirSync(RUNS_DIR)) {
    const path = join(RUNS_DIR, name);
    if (Date.now() - statSync(path).mtimeMs > 24 * 3600_000) rmSync(path, { recursive: true, force: true });
  }
  const dir = join(RUNS_DIR, `${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  process.env["MCN_TEST_LOG_DIR"] = dir;
  return { dir };
}

export interface SuiteLogScan {
  files: number;
  lines: number;
  leaks: Array<Leak & { file: string }>;
}

export function scanSuiteLogs(dir: string): SuiteLogScan {
  const scan: SuiteLogScan = { files: 0, lines: 0, leaks: [] };
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ndjson"))) {
    const text = readFileSync(join(dir, file), "utf8");
    scan.files++;
    scan.lines += text.split("\n").length - 1;
    for (const leak of findLeaks(text)) scan.leaks.push({ ...leak, file });
  }
  return scan;
}

export function reportSuiteLogLeaks(logs: SuiteLogs): void {
  const scan = scanSuiteLogs(logs.dir);
  if (scan.leaks.length === 0) {
    process.stdout.write(
      `\nprivacy: ${scan.lines} log lines of ${scan.files} processes searched, no personal data or key material (${logs.dir})\n`,
    );
    return;
  }
  process.stderr.write(
    [
      "",
      `privacy: ${scan.leaks.length} log line(s) hold personal data or key material (${logs.dir}):`,
      ...scan.leaks.slice(0, 20).map((l) => `  ${l.kind} in ${l.file}:${l.line}: ${l.excerpt}`),
      "",
    ].join("\n"),
  );
  process.exitCode = 1;
}
