// Hostile requests derived from the contract (openapi.yaml, read at test time): starting from one
// valid request of an operation, each breaks exactly one rule — of its body's schema
// (schema-mutations.ts), of its path or query parameters — or sends a body no route takes
// (odd-input.ts). Every one must be refused with a 4xx problem and change nothing. fuzzRequests
// sends anything at all, for the "never a 5xx" property.
import fc from "fast-check";
import type { Operation } from "../../src/http/openapi.js";
import { enc, oddString, PATH_TRICKS, WHOLE_BODIES } from "./odd-input.js";
import {
  bodyMutations,
  constrained,
  violating,
  type Json,
  type Resolve,
  type Schema,
} from "./schema-mutations.js";

export { schemaResolver } from "./schema-mutations.js";

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
