// Hostile requests derived from the contract (openapi.yaml, read at test time): starting from one
// valid request of an operation, each mutation breaks exactly one rule of its schema — a required
// field removed, a value of the wrong type, an unknown field, a string too long, odd Unicode where
// a pattern, an enum or an identifier is expected, an array too long — or the body as a whole
// (not an object, not JSON, too large, nested too deep, a prototype-pollution key, another media
// type). Every one must be refused with a 4xx problem and change nothing.
import fc from "fast-check";
import type { Contract, Operation } from "../../src/http/openapi.js";
import { parseNiss } from "../../src/identifiers/index.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
type Schema = Record<string, Json>;
type Resolve = (s: Schema | undefined) => Schema;

export interface Example {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: Json;
}

export interface HostileRequest {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Strings a careless parser lets through: other digits, invisible and bidi characters, NUL... */
export const ODD_STRINGS = [
  "８５０７３００３３２８", // fullwidth digits
  "٨٥٠٧٣٠٠٣٣٢٨", // Arabic-Indic digits
  "𝟖𝟓𝟎𝟕𝟑𝟎𝟎𝟑𝟑𝟐𝟖", // mathematical digits
  "85073003328\u0000",
  "\u202e82330037058", // right-to-left override
  "8507300332\u200b8", // zero-width space
  "2026-11-2\uff12",
  "e\u0301\u0301\u0301",
  "\ud800", // lone surrogate
  "😀😀",
  "' OR 1=1 --",
  "../../../etc/passwd",
  "%00",
  "<script>alert(1)</script>",
  "${jndi:ldap://127.0.0.1/a}",
  "\r\nX-Injected: 1",
];

export const oddString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...ODD_STRINGS),
  fc.string({ unit: "binary", minLength: 1, maxLength: 24 }),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }),
);

/** Path segments that try to leave the route. */
export const PATH_TRICKS = [
  "..",
  "..%2F..%2F..%2Fetc%2Fpasswd",
  "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
  "..%5C..%5Cwindows",
  "%00",
  "a%00.js",
  "%E0%A4%A", // broken percent-encoding
  "%",
  "%252e%252e",
  "%C0%AE%C0%AE", // overlong UTF-8 dot
  "index.html%3F",
  "~",
];

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
function stringMayPass(s: string, schema: Schema, name: string | undefined): boolean {
  if (Array.isArray(schema["enum"])) return (schema["enum"] as Json[]).includes(s);
  if (typeof schema["pattern"] === "string" && !new RegExp(schema["pattern"], "u").test(s)) return false;
  if (name !== undefined && SEMANTIC[name]) return SEMANTIC[name](s);
  if (typeof schema["maxLength"] === "number" && [...s].length > schema["maxLength"]) return false;
  if (typeof schema["minLength"] === "number" && [...s].length < schema["minLength"]) return false;
  return typeof schema["pattern"] === "string";
}

/** `odd` when it breaks the schema, else the first odd string that does; undefined if none can. */
function violating(odd: string, schema: Schema, name: string | undefined): string | undefined {
  return [odd, ...ODD_STRINGS, " ", "\t", ""].find((c) => !stringMayPass(c, schema, name));
}

const constrained = (schema: Schema, name: string | undefined) =>
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

/** Whole-body attacks, whatever the schema: [label, content-type, text]. */
export const WHOLE_BODIES: Array<[string, string, (k: number) => string]> = [
  ["an array", "application/json", () => "[]"],
  ["a number", "application/json", () => "42"],
  ["a string", "application/json", () => '"body"'],
  ["null", "application/json", () => "null"],
  ["empty with a JSON type", "application/json", () => ""],
  ["not JSON", "application/json", () => "{'patient': }"],
  ["truncated JSON", "application/json", () => '{"patient": {"niss": "850'],
  [
    "prototype pollution",
    "application/json",
    () => '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}',
  ],
  ["nested 5000 deep", "application/json", (k) => `${"[".repeat(5000 + k)}${"]".repeat(5000 + k)}`],
  ["object nested 3000 deep", "application/json", () => `${'{"a":'.repeat(3000)}1${"}".repeat(3000)}`],
  ["huge (over the body limit)", "application/json", (k) => `{"x":"${"A".repeat(70_000 + k * 1000)}"}`],
  [
    "huge, many keys",
    "application/json",
    () => `{${Array.from({ length: 9000 }, (_, i) => `"k${i}":${i}`).join(",")}}`,
  ],
  ["text/plain", "text/plain", () => "patient=85073003328"],
  [
    "XML with an external entity",
    "application/xml",
    () => '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
  ],
  ["form-encoded", "application/x-www-form-urlencoded", () => "patient[niss]=85073003328"],
  ["JSON in UTF-16", "application/json; charset=utf-16", () => '{"a":1}'],
];

// Percent-encoding that keeps a lone surrogate as the bytes a careless client sends for it
// (ED A0 80…, not UTF-8): encodeURIComponent would throw.
const enc = (s: string) =>
  s.replace(/[\s\S]/gu, (ch) =>
    /^\p{Cs}$/u.test(ch)
      ? Buffer.from([0xed, 0xa0 | ((ch.charCodeAt(0) >> 6) & 0x0f), 0x80 | (ch.charCodeAt(0) & 0x3f)])
          .toString("hex")
          .replace(/../g, "%$&")
          .toUpperCase()
      : encodeURIComponent(ch),
  );

function buildPath(
  op: Operation,
  params: Record<string, string>,
  rawParams: Record<string, string> = {},
): string {
  return op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => rawParams[name] ?? enc(params[name] ?? "x"));
}

function queryString(query: Record<string, string | string[]>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query))
    for (const one of ([] as string[]).concat(v)) parts.push(`${enc(k)}=${enc(one)}`);
  return parts.length ? `?${parts.join("&")}` : "";
}

/** An arbitrary of hostile requests for one operation, each breaking one rule of `example`. */
export function hostileRequests(
  op: Operation,
  example: Example,
  resolve: Resolve,
): fc.Arbitrary<HostileRequest> {
  const base = (over: Partial<HostileRequest> & { label: string }): HostileRequest => ({
    method: op.method,
    path: buildPath(op, example.params ?? {}) + queryString(example.query ?? {}),
    headers: example.body === undefined ? {} : { "content-type": "application/json" },
    ...(example.body === undefined ? {} : { body: JSON.stringify(example.body) }),
    ...over,
  });
  const choices: Array<fc.Arbitrary<HostileRequest>> = [];

  const bodySchema = op.schema.body as Schema | undefined;
  if (bodySchema && example.body !== undefined) {
    const mutations = bodyMutations(example.body, bodySchema, resolve);
    if (mutations.length > 0) {
      choices.push(
        fc
          .tuple(fc.constantFrom(...mutations), oddString, fc.nat(1000))
          .map(([m, odd, k]) =>
            base({ label: `body ${m.label}`, body: JSON.stringify(m.apply(example.body, odd, k)) }),
          ),
      );
    }
    choices.push(
      fc
        .tuple(fc.constantFrom(...WHOLE_BODIES), fc.nat(20))
        .map(([[label, type, text], k]) =>
          base({ label: `body ${label}`, headers: { "content-type": type }, body: text(k) }),
        ),
    );
  }

  const pathSchema = op.schema.params as Schema | undefined;
  if (pathSchema && example.params) {
    const props = (pathSchema["properties"] ?? {}) as Record<string, Schema>;
    for (const name of Object.keys(example.params)) {
      const s = resolve(props[name]);
      choices.push(
        fc
          .oneof(
            fc.constantFrom(...PATH_TRICKS).map((trick) => ({ trick, label: `path ${name}: ${trick}` })),
            oddString.map((odd) => ({
              trick: enc(violating(odd, s, name) ?? odd),
              label: `path ${name}: odd string`,
            })),
            fc.nat(200).map((k) => ({
              trick: "9".repeat(((s["maxLength"] as number) ?? 64) + 1 + k),
              label: `path ${name}: too long`,
            })),
          )
          .map(({ trick, label }) =>
            base({
              label,
              path: buildPath(op, example.params ?? {}, { [name]: trick }) + queryString(example.query ?? {}),
            }),
          ),
      );
    }
  }

  const querySchema = op.schema.querystring as Schema | undefined;
  if (querySchema && example.query) {
    const props = (querySchema["properties"] ?? {}) as Record<string, Schema>;
    const required = (querySchema["required"] ?? []) as string[];
    const withQuery = (label: string, query: Record<string, string | string[]>) =>
      base({ label, path: buildPath(op, example.params ?? {}) + queryString(query) });
    for (const name of Object.keys(example.query)) {
      const s = resolve(props[name]);
      if (required.includes(name)) {
        const { [name]: _gone, ...rest } = example.query;
        choices.push(fc.constant(withQuery(`query ${name}: missing`, rest)));
      }
      choices.push(
        fc.constant(
          withQuery(`query ${name}: given twice`, {
            ...example.query,
            [name]: [example.query[name]!, example.query[name]!],
          }),
        ),
      );
      if (constrained(s, name) && violating("", s, name) !== undefined)
        choices.push(
          oddString.map((odd) =>
            withQuery(`query ${name}: odd string`, {
              ...example.query,
              [name]: violating(odd, s, name) ?? odd,
            }),
          ),
        );
      if (typeof s["maxLength"] === "number")
        choices.push(
          fc.constant(
            withQuery(`query ${name}: too long`, {
              ...example.query,
              [name]: "9".repeat((s["maxLength"] as number) + 1),
            }),
          ),
        );
    }
    choices.push(
      oddString.map((odd) => withQuery("query: unknown parameter", { ...example.query, [`x${odd}`]: odd })),
    );
  }
  if (choices.length === 0) throw new Error(`${op.operationId}: nothing to mutate in its example`);
  return fc.oneof(...choices);
}

/** Anything at all, for any operation: random path values, query, body, media type, language. */
export function fuzzRequests(op: Operation): fc.Arbitrary<HostileRequest> {
  const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
  return fc
    .record({
      params: fc.tuple(...names.map(() => fc.oneof(fc.constantFrom(...PATH_TRICKS), oddString.map(enc)))),
      query: fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string({ maxLength: 20 }), oddString), {
        maxKeys: 3,
      }),
      body: fc.oneof(
        fc.constant(undefined),
        fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? "null"),
        fc.string({ unit: "binary", maxLength: 200 }),
      ),
      type: fc.constantFrom(
        "application/json",
        "text/plain",
        "application/xml",
        "application/json; charset=latin1",
      ),
      lang: fc.oneof(
        fc.constantFrom("fr", "nl-BE", "en;q=0.1, *", "zz", "*;q=abc", "x".repeat(300)),
        fc.string({ maxLength: 20 }),
      ),
    })
    .map(({ params, query, body, type, lang }) => {
      let path = op.path;
      names.forEach((n, i) => (path = path.replace(`{${n}}`, params[i] as string)));
      return {
        label: "fuzz",
        method: op.method,
        path: path + queryString(query),
        headers: {
          "accept-language": lang.replace(/[^\x20-\x7e]/g, "?"),
          ...(body === undefined ? {} : { "content-type": type }),
        },
        ...(body === undefined ? {} : { body }),
      };
    });
}
