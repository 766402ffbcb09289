// Hostile XML from upstream (security suite, item 3): a daemon whose insurability endpoint is a
// loopback server of this file that forwards each request to the simulator and then answers with
// an attack — external entities (a canary file, a canary HTTP server), entity expansion, a
// document over the size cap, nesting deep enough to exhaust a recursive walk, the right elements
// in the wrong namespaces, XInclude. Each must end as an outage (the fallback answers in time),
// without the canary file's content going anywhere, without a request reaching the canary
// server, and without the memory growing by more than the cap on one answer.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadPrincipals, startDaemon, type Daemon } from "../../src/daemon.js";
import { createLogger } from "../../src/log.js";
import { NS } from "../../src/ehealth/xml/namespaces.js";
import { SCENARIO_NISS } from "../../src/simulator/index.js";
import { startStack, type Stack } from "../support/stack.js";
import { Writable } from "node:stream";
import { rowCounter } from "../support/store-rows.js";

const TIMEOUT_MS = 800;
const BOUND_MS = TIMEOUT_MS + 200;
const CANARY = `canary-${process.pid}-d41d8cd98f00b204`;

let stack: Stack;
let daemon: Daemon;
let dataDir: string;
let hostile: Server;
let canaryServer: Server;
let canaryHits = 0;
let canaryFile: string;
let canaryUrl: string;
let attack: (genuine: string) => string | Buffer = (g) => g;
const logs: string[] = [];

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
  );

beforeAll(async () => {
  stack = await startStack({
    env: {
      MCN_CACHE_TTL_MS: "1",
      MCN_GUARD_PATIENT_PER_DAY: "1000",
      MCN_GUARD_UNCONFIRMED_PATIENTS: "100000",
    },
  });
  dataDir = mkdtempSync(join(tmpdir(), "mcn-hostile-"));
  canaryFile = join(dataDir, "canary.txt");
  writeFileSync(canaryFile, CANARY);
  canaryServer = createServer((_req, res) => {
    canaryHits++;
    res.end(CANARY);
  });
  canaryUrl = `http://127.0.0.1:${await listen(canaryServer)}/dtd`;
  hostile = createServer(async (req, res) => {
    const body = await readBody(req);
    const genuine = await fetch(stack.demo.simulator.insurabilityUrl, {
      method: "POST",
      headers: {
        "content-type": req.headers["content-type"] ?? "text/xml",
        soapaction: String(req.headers["soapaction"] ?? ""),
      },
      body,
    }).then((r) => r.text());
    const answer = attack(genuine);
    res.writeHead(200, { "content-type": "text/xml; charset=UTF-8" });
    res.end(answer);
  });
  const port = await listen(hostile);
  daemon = await startDaemon(
    {
      ...stack.config,
      dataDir,
      listen: { host: "127.0.0.1", port: 0 },
      insurabilityUrl: `http://127.0.0.1:${port}/Insurability/v2`,
      timeoutMs: TIMEOUT_MS,
      cacheTtlMs: 0,
    },
    {
      logger: createLogger({
        destination: new Writable({
          write(c, _e, cb) {
            logs.push(String(c));
            cb();
          },
        }),
      }),
      principals: loadPrincipals(stack.config.tokensFile),
      defaultMetrics: false,
    },
  );
  await daemon.sessions.open({ method: "personal-certificate" }, "test");
});

afterAll(async () => {
  await daemon?.close();
  hostile?.close();
  canaryServer?.close();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

let counter = 0;
async function consult() {
  const started = performance.now();
  const res = await fetch(`${daemon.url}/v1/consultations`, {
    method: "POST",
    headers: { authorization: `Bearer ${stack.tokens.dispensing}`, "content-type": "application/json" },
    body: JSON.stringify({
      patient: { niss: SCENARIO_NISS.ordinary },
      reference: `hostile-xml-${++counter}`,
    }),
  });
  const text = await res.text();
  return { status: res.status, ms: performance.now() - started, text, json: JSON.parse(text) };
}

// The genuine answer with its payload's elements moved to another namespace.
const renamespace = (xml: string, from: string, to: string) => xml.split(`"${from}"`).join(`"${to}"`);
const inBody = (xml: string, insert: string) => {
  const m = /<(\w+:)?Body\b[^>]*>/.exec(xml);
  if (!m) throw new Error("no Body in the genuine answer");
  return xml.slice(0, m.index + m[0].length) + insert + xml.slice(m.index + m[0].length);
};
const bodyOf = (xml: string) => /<(\w+:)?Body[^>]*>([\s\S]*)<\/(\w+:)?Body>/.exec(xml)?.[2] ?? "";

const attacks: Array<[string, (genuine: string) => string | Buffer, string[]]> = [
  [
    "external entity: a local file",
    (g) =>
      inBody(g, "&x;").replace(
        /^(<\?xml[^>]*\?>)?/,
        `$1<!DOCTYPE e [<!ENTITY x SYSTEM "file://${canaryFile}">]>`,
      ),
    ["malformed"],
  ],
  [
    "external entity: a remote DTD",
    (g) => `<?xml version="1.0"?><!DOCTYPE e SYSTEM "${canaryUrl}">${g.replace(/^<\?xml[^>]*\?>/, "")}`,
    ["malformed"],
  ],
  [
    "parameter entity out of band",
    () => `<?xml version="1.0"?><!DOCTYPE e [<!ENTITY % p SYSTEM "${canaryUrl}"> %p;]><e/>`,
    ["malformed"],
  ],
  [
    "billion laughs",
    () =>
      `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY l0 "ha">${Array.from({ length: 10 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join("")}]><l>&l10;</l>`,
    ["malformed"],
  ],
  ["a lower-case doctype", (g) => g.replace(/^(<\?xml[^>]*\?>)?/, "$1<!doctype e>"), ["malformed"]],
  ["an entity reference without a DTD", (g) => inBody(g, "&xxe;"), ["malformed"]],
  [
    "XInclude of a local file",
    (g) =>
      inBody(
        g,
        `<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://${canaryFile}" parse="text"/>`,
      ),
    ["malformed", "online"],
  ],
  [
    "a stylesheet processing instruction",
    (g) => g.replace(/^(<\?xml[^>]*\?>)?/, `$1<?xml-stylesheet href="${canaryUrl}"?>`),
    ["malformed", "online"],
  ],
  ["over the size cap (5 MB)", (g) => inBody(g, `<!--${"x".repeat(5 * 1024 * 1024)}-->`), ["too-large"]],
  [
    "just under the cap, 200 000 empty elements",
    (g) => inBody(g, `<pad>${"<a/>".repeat(200_000)}</pad>`),
    ["malformed"],
  ],
  ["nested 100 000 deep", () => `${"<a>".repeat(100_000)}${"</a>".repeat(100_000)}`, ["malformed"]],
  [
    "nested 100 000 deep with non-ASCII names",
    () => `${"<é>".repeat(100_000)}${"</é>".repeat(100_000)}`,
    ["malformed"],
  ],
  [
    "nested 100 000 deep inside a genuine envelope",
    (g) => inBody(g, `<x:é xmlns:x="urn:x">${"<é>".repeat(100_000)}${"</é>".repeat(100_000)}</x:é>`),
    ["malformed"],
  ],
  [
    "a SOAP 1.2 envelope",
    (g) => renamespace(g, NS.soap, "http://www.w3.org/2003/05/soap-envelope"),
    ["malformed"],
  ],
  [
    "the payload in another namespace",
    (g) => renamespace(g, NS.insProtocol, "urn:evil:insurability"),
    ["malformed"],
  ],
  ["the payload without a namespace", (g) => `<Envelope><Body>${bodyOf(g)}</Body></Envelope>`, ["malformed"]],
  [
    "a UTF-16 document",
    (g) => Buffer.from(`\ufeff${g.replace('encoding="UTF-8"', 'encoding="UTF-16"')}`, "utf16le"),
    ["malformed"],
  ],
  [
    "100 000 attributes",
    () => `<a ${Array.from({ length: 100_000 }, (_, i) => `a${i}="1"`).join(" ")}/>`,
    ["malformed"],
  ],
];

describe("hostile XML from the insurability service", () => {
  it("the loopback server gives genuine answers when not attacking", async () => {
    attack = (g) => g;
    const res = await consult();
    expect([res.status, res.json.outcome]).toEqual([201, "online"]);
  });

  it.each(attacks)("%s → refused as an outage, in time", async (_label, make, outcomes) => {
    attack = make;
    const rows = rowCounter(dataDir);
    const memory = process.memoryUsage().rss;
    const res = await consult();
    rows.close();
    expect(res.status).toBe(201);
    expect(res.ms).toBeLessThan(BOUND_MS);
    const outcome = res.json.outcome === "online" ? "online" : res.json.fallback?.reason;
    expect(outcomes).toContain(outcome);
    // One answer is at most 2 MB; parsing it must not cost more than a few times that.
    expect(process.memoryUsage().rss - memory).toBeLessThan(64 * 1024 * 1024);
    expect(res.text).not.toContain(CANARY);
    // At the default circuit threshold: a genuine answer after each attack closes the count
    // again, so the next attack reaches the parser instead of the open circuit.
    attack = (g) => g;
    const after = await consult();
    expect([after.status, after.json.outcome]).toEqual([201, "online"]);
  });

  it("no canary was ever read or fetched, and nothing of it was stored or logged", () => {
    expect(canaryHits).toBe(0);
    expect(logs.join("")).not.toContain(CANARY);
    expect(
      daemon.store
        .auditEntries(0, 10_000)
        .map((e) => JSON.stringify(e))
        .join(""),
    ).not.toContain(CANARY);
  });
});
