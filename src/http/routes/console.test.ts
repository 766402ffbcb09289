// The console's static files through the real app (inject): content types, the strict
// Content-Security-Policy, cache headers and revalidation, nothing served outside the list, and
// a page with no inline code and no data in it.
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { createLogger } from "../../log.js";
import { buildApp, type Handlers } from "../app.js";
import { loadContract } from "../openapi.js";
import { Principals } from "../principals.js";
import { CONSOLE_CSP, CONSOLE_DIR, consoleHandlers, loadConsole } from "./console.js";

const files = loadConsole();
let app: FastifyInstance;

beforeAll(async () => {
  const unused: Handlers = Object.fromEntries(
    [...loadContract().operations.keys()].map((id) => [id, async () => Promise.reject(new Error(id))]),
  );
  app = await buildApp({
    logger: createLogger({ destination: new Writable({ write: (_c, _e, cb) => cb() }) }),
    principals: new Principals([]),
    handlers: { ...unused, ...consoleHandlers(files) },
  });
});
afterAll(() => app.close());

describe("GET /", () => {
  it("is the page, to anyone, with a strict CSP and revalidated at each visit", async () => {
    const res = await app.inject({ url: "/" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(res.headers["content-security-policy"]).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain("unsafe");
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["referrer-policy"]).toBe("no-referrer");
    expect(res.headers["etag"]).toMatch(/^"[\w-]{22}"$/);
    expect(res.body).toContain(`src="/console/${files.version}/main.js"`);
    expect(res.body).not.toContain("%ASSETS%");
  });

  it("answers 304 to a browser that has it", async () => {
    const first = await app.inject({ url: "/" });
    const again = await app.inject({ url: "/", headers: { "if-none-match": String(first.headers["etag"]) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe("");
  });

  it("holds no inline script, no inline style, no event attribute", () => {
    const html = files.page.body.toString("utf8");
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\bsrc="/);
    expect(html).not.toMatch(/<style\b/);
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toMatch(/\son[a-z]+="/);
  });

  it("labels every field and keeps the PIN and token fields masked and out of autofill", () => {
    const html = files.page.body.toString("utf8");
    for (const [, id] of html.matchAll(/<(?:input|textarea|select)\b[^>]*\bid="([^"]+)"/g)) {
      expect(html, id).toContain(`for="${id}"`);
    }
    for (const id of ["pin", "token-input"]) {
      const tag = new RegExp(`<input[^>]*id="${id}"[^>]*>`, "s").exec(html)?.[0] ?? "";
      expect(tag).toContain('type="password"');
      expect(tag).toContain('autocomplete="off"');
    }
  });
});

describe("GET /console/{version}/{file}", () => {
  it.each([
    ["main.js", "text/javascript; charset=utf-8"],
    ["console.css", "text/css; charset=utf-8"],
    ["icon.svg", "image/svg+xml"],
  ])("serves %s as %s, immutable for a year", async (file, type) => {
    const res = await app.inject({ url: `/console/${files.version}/${file}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe(type);
    expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(res.headers["content-security-policy"]).toBe(CONSOLE_CSP);
    expect(res.body).toBe(readFileSync(join(CONSOLE_DIR, file), "utf8"));
  });

  it("serves every module the scripts import", () => {
    for (const [name, asset] of files.assets) {
      if (!name.endsWith(".js")) continue;
      for (const [, target] of asset.body.toString("utf8").matchAll(/from "\.\/([^"]+)"/g)) {
        expect(files.assets.has(target as string), `${name} imports ${target}`).toBe(true);
      }
    }
  });

  it.each([
    ["an unknown file", `/console/${files.version}/secret.json`],
    ["a test file", `/console/${files.version}/texts.test.ts`],
    ["the page itself", `/console/${files.version}/index.html`],
    ["a path outside", `/console/${files.version}/..%2Fpackage.json`],
    ["another version", "/console/0000000000000000/main.js"],
  ])("answers NOT_FOUND for %s", async (_what, url) => {
    const res = await app.inject({ url });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe("NOT_FOUND");
  });

  it("names the version after the assets: the same files the same path, a changed file another", () => {
    expect(files.version).toMatch(/^[0-9a-f]{16}$/);
    expect(loadConsole().version).toBe(files.version);
    const copy = mkdtempSync(join(tmpdir(), "mcn-console-"));
    try {
      cpSync(CONSOLE_DIR, copy, { recursive: true });
      appendFileSync(join(copy, "console.css"), "\n/* changed */\n");
      expect(loadConsole(copy).version).not.toBe(files.version);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
