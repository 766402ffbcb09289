// Canonical JSON for the audit chain: the same value always gives the same bytes, whatever the
// order in which its keys were written, so a hash can be recomputed from the stored columns.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Keys sorted by code unit, no whitespace; `undefined` members are left out (as JSON.stringify
 * does). Throws TypeError on what JSON cannot carry faithfully: non-finite numbers, bigint,
 * functions, symbols, undefined in arrays, class instances (a Date must be given as its ISO
 * string), cycles.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

function write(value: unknown, seen: Set<object>): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "string":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError("canonical JSON: a number must be finite");
      return JSON.stringify(value);
    case "object":
      return writeObject(value, seen);
    default:
      throw new TypeError(`canonical JSON: a ${typeof value} cannot be written`);
  }
}

function writeObject(value: object, seen: Set<object>): string {
  if (seen.has(value)) throw new TypeError("canonical JSON: the value has a cycle");
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      return `[${value.map((item: unknown) => write(item, seen)).join(",")}]`;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError("canonical JSON: only plain objects and arrays can be written");
    }
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${write(record[key], seen)}`);
    return `{${members.join(",")}}`;
  } finally {
    seen.delete(value);
  }
}
