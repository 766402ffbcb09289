// Mutations of a valid JSON body that each break exactly one rule of its schema (from
// openapi.yaml): a required field removed, a value of the wrong type, an unknown field, a string
// too long, odd Unicode where a pattern, an enum or an identifier is expected, an array too long
// or empty. Found by walking the body beside its schema.
import type { Contract } from "../../src/http/openapi.js";
import { parseNiss } from "../../src/identifiers/index.js";
import { ODD_STRINGS } from "./odd-input.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;
export type Schema = Record<string, Json>;
export type Resolve = (s: Schema | undefined) => Schema;

const WRONG_VALUES: Json[] = [42, -1.5, true, "text", null, [], {}, ["x"], { x: 1 }];

function jsonType(v: Json): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

export function schemaResolver(contract: Contract): Resolve {
  const shared = new Map(contract.sharedSchemas.map((s) => [(s as Schema)["$id"] as string, s as Schema]));
  const resolve = (s: Schema | undefined): Schema => {
    if (!s) return {};
    const ref = s["$ref"];
    if (typeof ref === "string") return resolve(shared.get(ref.replace(/#$/, "")));
    return s;
  };
  return resolve;
}

function allowedTypes(s: Schema, resolve: Resolve): string[] {
  if (s["type"] !== undefined) return ([] as string[]).concat(s["type"]);
  if (Array.isArray(s["enum"])) return [...new Set((s["enum"] as Json[]).map(jsonType))];
  for (const key of ["oneOf", "anyOf"]) {
    if (Array.isArray(s[key])) return (s[key] as Schema[]).flatMap((b) => allowedTypes(resolve(b), resolve));
  }
  if (Array.isArray(s["allOf"])) return allowedTypes(resolve((s["allOf"] as Schema[])[0]), resolve);
  return [];
}

const accepts = (types: string[], v: Json) =>
  types.length === 0 ||
  types.includes(jsonType(v)) ||
  (types.includes("number") && jsonType(v) === "integer");

/** Strings the daemon reads as identifiers although the schema only bounds their length. */
const SEMANTIC: Record<string, (s: string) => boolean> = {
  niss: (s) => parseNiss(s).ok,
  value: (s) => parseNiss(s).ok,
  mutuality: (s) => /^(750|999|[1-69][0-9]{2})$/.test(s),
};

/** True when `s` could satisfy the string schema (then it is no mutation). */
export function stringMayPass(s: string, schema: Schema, name: string | undefined): boolean {
  if (Array.isArray(schema["enum"])) return (schema["enum"] as Json[]).includes(s);
  if (typeof schema["pattern"] === "string" && !new RegExp(schema["pattern"], "u").test(s)) return false;
  if (name !== undefined && SEMANTIC[name]) return SEMANTIC[name](s);
  if (typeof schema["maxLength"] === "number" && [...s].length > schema["maxLength"]) return false;
  if (typeof schema["minLength"] === "number" && [...s].length < schema["minLength"]) return false;
  return typeof schema["pattern"] === "string";
}

/** `odd` when it breaks the schema, else the first odd string that does; undefined if none can. */
export function violating(odd: string, schema: Schema, name: string | undefined): string | undefined {
  return [odd, ...ODD_STRINGS, " ", "\t", ""].find((c) => !stringMayPass(c, schema, name));
}

export const constrained = (schema: Schema, name: string | undefined) =>
  Array.isArray(schema["enum"]) ||
  typeof schema["pattern"] === "string" ||
  (name !== undefined && name in SEMANTIC);

type Path = Array<string | number>;
interface BodyMutation {
  label: string;
  apply(body: Json, odd: string, pick: number): Json;
}

const clone = (v: Json): Json => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
function setAt(root: Json, path: Path, value: Json | typeof REMOVE): Json {
  const copy = clone(root);
  let cur = copy;
  for (const step of path.slice(0, -1)) cur = cur[step];
  const last = path[path.length - 1] as string | number;
  if (value === REMOVE) delete cur[last];
  else cur[last] = value;
  return copy;
}
const REMOVE = Symbol("remove");

/** Every single-rule mutation of a valid body, found by walking it beside its schema. */
export function bodyMutations(body: Json, schema: Schema, resolve: Resolve): BodyMutation[] {
  const out: BodyMutation[] = [];
  const walk = (value: Json, raw: Schema, path: Path, name: string | undefined, required: boolean) => {
    let s = resolve(raw);
    if (Array.isArray(s["oneOf"]) || Array.isArray(s["anyOf"])) {
      const branches = ((s["oneOf"] ?? s["anyOf"]) as Schema[]).map(resolve);
      const types = allowedTypes(s, resolve);
      const wrong = WRONG_VALUES.filter((w) => !accepts(types, w));
      if (path.length > 0 && wrong.length > 0)
        out.push({
          label: `${path.join(".")}: wrong type`,
          apply: (b, _o, k) => setAt(b, path, wrong[k % wrong.length]),
        });
      if (path.length > 0 && required)
        out.push({ label: `${path.join(".")}: missing`, apply: (b) => setAt(b, path, REMOVE) });
      const branch = branches.find(
        (b) => jsonType(value) === "object" && ((b["required"] as string[]) ?? []).every((k) => k in value),
      );
      if (!branch) return;
      s = branch;
    }
    const label = path.join(".") || "body";
    const types = allowedTypes(s, resolve);
    const wrong = WRONG_VALUES.filter((w) => !accepts(types, w));
    if (path.length > 0 && wrong.length > 0)
      out.push({
        label: `${label}: wrong type`,
        apply: (b, _o, k) => setAt(b, path, wrong[k % wrong.length]),
      });
    if (path.length > 0 && required)
      out.push({ label: `${label}: missing`, apply: (b) => setAt(b, path, REMOVE) });
    if (typeof value === "string") {
      if (constrained(s, name) && violating("", s, name) !== undefined)
        out.push({
          label: `${label}: odd string`,
          apply: (b, odd) => setAt(b, path, violating(odd, s, name)),
        });
      if (typeof s["maxLength"] === "number") {
        const max = s["maxLength"] as number;
        out.push({
          label: `${label}: too long`,
          apply: (b, _o, k) => setAt(b, path, "é".repeat(max + 1 + (k % 50) * 20)),
        });
      }
    }
    if (typeof value === "number" && Array.isArray(s["enum"])) {
      out.push({
        label: `${label}: out of enum`,
        apply: (b, _o, k) => setAt(b, path, [0, 9, -1, 5.5, 1e308][k % 5]),
      });
    }
    if (jsonType(value) === "object") {
      if (s["additionalProperties"] === false) {
        out.push({
          label: `${label}: unknown field`,
          apply: (b, odd) => {
            const target = path.length === 0 ? clone(b) : clone(path.reduce((c: Json, k) => c[k], b));
            target[`x${odd}`] = odd;
            return path.length === 0 ? target : setAt(b, path, target);
          },
        });
      }
      const props = (s["properties"] ?? {}) as Record<string, Schema>;
      const req = (s["required"] ?? []) as string[];
      for (const [k, v] of Object.entries(value as Record<string, Json>)) {
        if (props[k]) walk(v, props[k], [...path, k], k, req.includes(k));
      }
    }
    if (Array.isArray(value)) {
      if (typeof s["maxItems"] === "number" && value.length > 0) {
        const max = s["maxItems"] as number;
        out.push({
          label: `${label}: too many items`,
          apply: (b) =>
            setAt(
              b,
              path,
              Array.from({ length: max + 1 }, () => clone(value[0])),
            ),
        });
      }
      if (typeof s["minItems"] === "number" && (s["minItems"] as number) > 0)
        out.push({ label: `${label}: empty`, apply: (b) => setAt(b, path, []) });
      if (value.length > 0 && s["items"]) walk(value[0], s["items"] as Schema, [...path, 0], undefined, true);
    }
  };
  walk(body, schema, [], undefined, true);
  return out;
}
