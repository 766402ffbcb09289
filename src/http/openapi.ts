// openapi.yaml is the one source of truth for the HTTP contract. At start it is read once and
// turned into fastify route schemas (validated by ajv), and into the role list of each route.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export type Role = "dispensing" | "pharmacist" | "pricing-office" | "admin";
export const ROLES: readonly Role[] = ["dispensing", "pharmacist", "pricing-office", "admin"];

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

export function loadContract(file: string = OPENAPI_PATH): Contract {
  const doc = parse(readFileSync(file, "utf8")) as {
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
