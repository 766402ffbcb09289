// "Nothing stored": the number of rows of every table of a daemon's SQLite file, read through a
// read-only connection of its own (WAL: it sees every committed write). New tables are counted
// without changing this file.
import Database from "better-sqlite3";
import { join } from "node:path";
import { DATABASE_FILE } from "../../src/store/index.js";

export interface RowCounter {
  counts(): Record<string, number>;
  close(): void;
}

export function rowCounter(dataDir: string): RowCounter {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  const tables = (
    db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all() as Array<{
      name: string;
    }>
  ).map((t) => t.name);
  const count = db.prepare(
    `SELECT ${tables.map((t, i) => `(SELECT count(*) FROM "${t}") AS c${i}`).join(", ")}`,
  );
  return {
    counts() {
      const row = count.get() as Record<string, number>;
      return Object.fromEntries(tables.map((t, i) => [t, row[`c${i}`] as number]));
    },
    close: () => db.close(),
  };
}
