// openapi.yaml is the one source of truth for the HTTP contract. At start it is read once and
// turned into fastify route schemas (validated by ajv), and into the role list of each route.
import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type * as Yaml from "yaml";

import type { Role } from "../actors.js";

export { ROLES, type Role } from "../actors.js";
import { ROLES } from "../actors.js";

export interface Operation {
  readonly operationId: string;
  readonly method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
  /** The path in openapi form, /v1/niss/{value}. */
  readonly path: string;
  /** The same path in fastify form, /v1/niss/:value. */
  readonly url: string;
  /** Empty when no token is needed. */
  readonly roles: readonly Role[];
  readonly schema: {
    params?: object;
    querystring?: object;
    body?: object;
  };
}

export interface Contract {
  readonly operations: ReadonlyMap<string, Operation>;
  /** Component schemas with `$id` set, to be added to fastify before routes. */
  readonly sharedSchemas: readonly object[];
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export const OPENAPI_PATH = fileURLToPath(new URL("../../openapi.yaml", import.meta.url));

/**
 * `cacheDir`: a private directory (the daemon's data directory) where the parsed contract is kept
 * as JSON beside the SHA-256 of the YAML it came from. Parsing the YAML is a third of the start
 * (~0.2–0.3 s with the yaml library loaded cold); reading the JSON takes a millisecond. A changed
 * openapi.yaml has another hash and is parsed again.
 */
export function loadContract(file: string = OPENAPI_PATH, options: { cacheDir?: string } = {}): Contract {
  const doc = parseContract(readFileSync(file, "utf8"), options.cacheDir) as {
    paths: Record<string, Record<string, Record<string, Json>>>;
    components?: { schemas?: Record<string, Json> };
  };
  const sharedSchemas = Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => ({
    $id: name,
    ...(rewriteRefs(schema) as object),
  }));
  const operations = new Map<string, Operation>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const operationId = op.operationId as string;
      if (!operationId) throw new Error(`openapi.yaml: ${method.toUpperCase()} ${path} has no operationId`);
      operations.set(operationId, {
        operationId,
        method: method.toUpperCase() as Operation["method"],
        path,
        url: path.replace(/\{([^}]+)\}/g, ":$1"),
        roles: rolesOf(op["x-roles"], operationId),
        schema: schemaOf(op),
      });
    }
  }
  return { operations, sharedSchemas };
}

const CACHE_FILE = "openapi.json";

function parseContract(text: string, cacheDir: string | undefined): unknown {
  const sha256 = createHash("sha256").update(text, "utf8").digest("hex");
  const cache = cacheDir === undefined ? undefined : join(cacheDir, CACHE_FILE);
  if (cache !== undefined) {
    try {
      const cached = JSON.parse(readFileSync(cache, "utf8")) as { sha256?: string; contract?: unknown };
      if (cached.sha256 === sha256 && cached.contract !== undefined) return cached.contract;
    } catch {
      // absent or unreadable: parse the YAML
    }
  }
  // Loaded only when needed: importing the yaml library alone takes some 50 ms.
  const { parse } = createRequire(import.meta.url)("yaml") as typeof Yaml;
  const contract: unknown = parse(text);
  if (cache !== undefined) {
    try {
      writeFileSync(`${cache}.tmp`, JSON.stringify({ sha256, contract }), { mode: 0o600 });
      renameSync(`${cache}.tmp`, cache);
    } catch {
      // a cache that cannot be written costs the next start the parse, nothing else
    }
  }
  return contract;
}

function rolesOf(value: Json | undefined, operationId: string): readonly Role[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new Error(`openapi.yaml: ${operationId} has no x-roles`);
  if (value.includes("none")) return [];
  if (value.includes("any")) return ROLES;
  for (const r of value) {
    if (!ROLES.includes(r as Role))
      throw new Error(`openapi.yaml: ${operationId} names unknown role ${String(r)}`);
  }
  return value as Role[];
}

function schemaOf(op: Record<string, Json>): Operation["schema"] {
  const out: { params?: object; querystring?: object; body?: object } = {};
  const params = (op.parameters ?? []) as Array<{
    name: string;
    in: string;
    required?: boolean;
    schema: Json;
  }>;
  for (const where of ["path", "query"] as const) {
    const list = params.filter((p) => p.in === where);
    if (list.length === 0) continue;
    const schema = {
      type: "object",
      additionalProperties: where === "path",
      properties: Object.fromEntries(list.map((p) => [p.name, rewriteRefs(p.schema)])),
      required: list.filter((p) => p.required).map((p) => p.name),
    };
    if (where === "path") out.params = schema;
    else out.querystring = schema;
  }
  const body = (op.requestBody as { content?: Record<string, { schema: Json }> } | undefined)?.content?.[
    "application/json"
  ]?.schema;
  if (body) out.body = rewriteRefs(body) as object;
  return out;
}

/** `#/components/schemas/X` becomes `X#`, the id fastify knows the shared schema by. */
function rewriteRefs(node: Json): Json {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node && typeof node === "object") {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out[k] = v.replace("#/components/schemas/", "") + "#";
      else out[k] = rewriteRefs(v);
    }
    return out;
  }
  return node;
}
