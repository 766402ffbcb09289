// The pharmacist's console (SPEC §1.4, §1.5, §1.6 at the counter): static files read once from
// src/console/ (in both modes: dist/http/routes/ sits as deep as src/http/routes/), served to
// anyone since they hold no data — the page asks for the pharmacist's token and calls the API.
// Scripts are separate files so that the Content-Security-Policy can forbid inline code.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyReply, FastifyRequest } from "fastify";
import { CodedError } from "../../errors.js";
import type { Handlers } from "../app.js";

export const CONSOLE_DIR = fileURLToPath(new URL("../../../src/console/", import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

/** Same origin only, no inline script or style, no frames, no form submitted anywhere. */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

const etagOf = (body: Buffer): string =>
  `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;

export interface ConsoleFiles {
  /** A hash of every asset: the path segment under which they are served. */
  readonly version: string;
  readonly page: Asset;
  readonly assets: ReadonlyMap<string, Asset>;
}

/** Reads the console once: index.html with its asset paths filled in, and every .js/.css/.svg. */
export function loadConsole(dir: string = CONSOLE_DIR): ConsoleFiles {
  const names = readdirSync(dir)
    .filter((name) => CONTENT_TYPES[extname(name)] !== undefined && !name.includes(".test."))
    .sort();
  const files = names.map((name) => ({ name, body: readFileSync(join(dir, name)) }));
  const hash = createHash("sha256");
  for (const f of files) hash.update(f.name).update("\0").update(f.body).update("\0");
  const version = hash.digest("hex").slice(0, 16);
  const assets = new Map<string, Asset>();
  for (const f of files) {
    assets.set(f.name, {
      body: f.body,
      type: CONTENT_TYPES[extname(f.name)] as string,
      etag: etagOf(f.body),
    });
  }
  const html = Buffer.from(
    readFileSync(join(dir, "index.html"), "utf8").replaceAll("%ASSETS%", `/console/${version}`),
  );
  return { version, page: { body: html, type: "text/html; charset=utf-8", etag: etagOf(html) }, assets };
}

function send(request: FastifyRequest, reply: FastifyReply, asset: Asset, cacheControl: string) {
  reply
    .header("content-security-policy", CONSOLE_CSP)
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "no-referrer")
    .header("x-frame-options", "DENY")
    .header("cross-origin-opener-policy", "same-origin")
    .header("cache-control", cacheControl)
    .header("etag", asset.etag);
  const match = request.headers["if-none-match"];
  if (match !== undefined && match.split(",").some((tag) => tag.trim() === asset.etag)) {
    return reply.status(304).send();
  }
  return reply.type(asset.type).send(asset.body);
}

export function consoleHandlers(files: ConsoleFiles = loadConsole()): Handlers {
  return {
    // Revalidated at each visit (ETag): a new daemon's page points at its new assets at once.
    getConsole: async (request, reply) => send(request, reply, files.page, "no-cache"),
    getConsoleAsset: async (request, reply) => {
      const { version, file } = request.params as { version: string; file: string };
      const asset = version === files.version ? files.assets.get(file) : undefined;
      if (asset === undefined) throw new CodedError("NOT_FOUND");
      return send(request, reply, asset, "public, max-age=31536000, immutable");
    },
  };
}
