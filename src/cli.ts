#!/usr/bin/env node
// `mcn-rights`: the command-line side of the daemon. `mcn-rights audit verify` opens the store
// read-only from MCN_DATA_DIR, checks the hash-chained audit trail and says where it breaks
// (SPEC §1.5, §1.6). Exit code 0: intact; 1: altered, removed or inserted entries; 2: could not
// check (usage, missing files).
import { existsSync, realpathSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { dataDirOf } from "./config/index.js";
import {
  AUDIT_KEY_FILE,
  DATABASE_FILE,
  openAuditReader,
  readAuditKey,
  type AuditAnchor,
} from "./store/index.js";

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = [
  "usage: mcn-rights audit verify [--data-dir DIR] [--anchor SEQ:HASH] [--json]",
  "  Checks the audit trail of the data directory (default: MCN_DATA_DIR, else ./data).",
  "  --anchor SEQ:HASH  a head seen earlier (the daily 'retention purge' log line): entries removed",
  "                     from the end since then are found too.",
  "  Exit code 0: intact; 1: an entry was altered, removed or inserted; 2: could not check.",
];

export function runCli(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: CliIo,
): number {
  const [command, sub, ...rest] = args;
  if (command !== "audit" || sub !== "verify") {
    for (const line of USAGE) io.err(line);
    return 2;
  }
  let dataDir = dataDirOf(env);
  let anchor: AuditAnchor | undefined;
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--json") json = true;
    else if (arg === "--data-dir" && rest[i + 1] !== undefined) dataDir = resolve(rest[++i] as string);
    else if (arg === "--anchor" && rest[i + 1] !== undefined) {
      const m = /^([0-9]{1,15}):([0-9a-f]{64})$/.exec(rest[++i] as string);
      if (!m?.[1] || !m[2]) {
        io.err("mcn-rights: --anchor expects SEQ:HASH (a number, a colon, 64 hexadecimal digits)");
        return 2;
      }
      anchor = { seq: Number(m[1]), hash: m[2] };
    } else {
      for (const line of USAGE) io.err(line);
      return 2;
    }
  }
  const dbFile = join(dataDir, DATABASE_FILE);
  const keyFile = join(dataDir, AUDIT_KEY_FILE);
  if (!existsSync(dbFile)) {
    io.err(`mcn-rights: no database in ${dataDir} (${DATABASE_FILE})`);
    return 2;
  }
  let reader;
  try {
    reader = openAuditReader(dbFile, readAuditKey(keyFile));
  } catch (err) {
    io.err(`mcn-rights: cannot open the audit trail: ${(err as Error).message}`);
    return 2;
  }
  try {
    const result = reader.verify(anchor);
    const head = reader.head();
    if (json) io.out(JSON.stringify({ ...result, head }));
    else if (result.ok)
      io.out(`audit trail intact: ${result.entries} entries, head ${head.seq} ${head.hash}`);
    else io.out(`audit trail broken at entry ${result.firstBadSeq}: ${result.problem}`);
    return result.ok ? 0 : 1;
  } finally {
    reader.close();
  }
}

// Run as the `mcn-rights` bin (npm links it: compare real paths), not when imported by tests.
const entry = process.argv[1];
if (entry !== undefined && existsSync(entry) && import.meta.url === pathToFileURL(realpathSync(entry)).href) {
  process.exitCode = runCli(process.argv.slice(2), process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}
