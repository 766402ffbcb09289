// API tokens (MCN_TOKENS_FILE): each token maps to one principal with one role. Tokens are kept
// only as SHA-256 digests and compared with timingSafeEqual, so neither the lookup nor the
// comparison tells an attacker how much of a guess was right.
import { createHash, timingSafeEqual } from "node:crypto";
import { ROLES, type Principal, type Role } from "../actors.js";
import { MANDATARY_KINDS, readMandatary, type MandataryKind, type MandataryRef } from "../purpose/mandate.js";

export type { Principal } from "../actors.js";

export type Authentication =
  { ok: true; principal: Principal } | { ok: false; code: "AUTH_REQUIRED" | "AUTH_INVALID" };

const MIN_TOKEN_LENGTH = 16;

const digest = (token: string): Buffer => createHash("sha256").update(token, "utf8").digest();

export class Principals {
  readonly #byDigest = new Map<string, { digest: Buffer; principal: Principal }>();

  constructor(entries: ReadonlyArray<{ token: string; principal: Principal }>) {
    for (const { token, principal } of entries) {
      const d = digest(token);
      this.#byDigest.set(d.toString("hex"), { digest: d, principal });
    }
  }

  get size(): number {
    return this.#byDigest.size;
  }

  authenticate(authorization: string | undefined): Authentication {
    if (!authorization) return { ok: false, code: "AUTH_REQUIRED" };
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) return { ok: false, code: "AUTH_REQUIRED" };
    const d = digest(match[1]);
    const found = this.#byDigest.get(d.toString("hex"));
    if (!found || !timingSafeEqual(found.digest, d)) return { ok: false, code: "AUTH_INVALID" };
    return { ok: true, principal: found.principal };
  }
}

/** Parses the tokens file; every problem is reported with where it is. */
export function parseTokensFile(
  text: string,
): { ok: true; principals: Principals } | { ok: false; problems: string[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [`not JSON (${(err as Error).message})`] };
  }
  const list = (doc as { tokens?: unknown })?.tokens;
  if (!Array.isArray(list) || list.length === 0)
    return { ok: false, problems: ['expected {"tokens": [...]} with at least one token'] };
  const problems: string[] = [];
  const entries: Array<{ token: string; principal: Principal }> = [];
  const seen = new Set<string>();
  list.forEach((raw: unknown, i) => {
    const item = raw as Record<string, unknown>;
    const where = `tokens[${i}]`;
    if (typeof item?.token !== "string" || item.token.length < MIN_TOKEN_LENGTH || /\s/.test(item.token)) {
      problems.push(
        `${where}.token must be a string of at least ${MIN_TOKEN_LENGTH} characters without spaces`,
      );
      return;
    }
    if (seen.has(item.token)) problems.push(`${where}.token is given twice`);
    seen.add(item.token);
    if (!ROLES.includes(item.role as Role)) problems.push(`${where}.role must be one of ${ROLES.join(", ")}`);
    if (typeof item.name !== "string" || item.name.length === 0)
      problems.push(`${where}.name must be a non-empty string`);
    if (
      item.nihii !== undefined &&
      (typeof item.nihii !== "string" || !/^[0-9]{8}([0-9]{3})?$/.test(item.nihii))
    ) {
      problems.push(`${where}.nihii must be 8 or 11 digits`);
    }
    let mandatary: MandataryRef | undefined;
    if (item.mandatary !== undefined) {
      const m = item.mandatary as { kind?: unknown; id?: unknown } | null;
      if (!MANDATARY_KINDS.includes(m?.kind as MandataryKind) || typeof m?.id !== "string") {
        problems.push(`${where}.mandatary must be {"kind": "person"|"pharmacy"|"company", "id": "..."}`);
      } else {
        const read = readMandatary({ kind: m.kind as MandataryKind, id: m.id });
        if (read.ok) mandatary = read.value;
        else
          problems.push(`${where}.mandatary.id is not a valid ${String(m.kind)} identifier (${read.code})`);
      }
    }
    const principal: Principal = {
      name: String(item.name),
      role: item.role as Role,
      ...(typeof item.nihii === "string" ? { nihii: item.nihii } : {}),
      ...(mandatary ? { mandatary } : {}),
    };
    entries.push({ token: item.token, principal });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, principals: new Principals(entries) };
}
