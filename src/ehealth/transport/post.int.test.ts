// Against real misbehaving servers on loopback (STYLE: undici's way): refuse, stall, cut off,
// trickle, flood. Each failure must come out as its stable kind.
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createAgent } from "./agent.js";
import { postSoap } from "./post.js";
import { TransportError } from "./transport-error.js";

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function track(server: net.Server): void {
  const sockets = new Set<net.Socket>();
  server.on("connection", (s: net.Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  closers.push(
    () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
}

async function listen(server: net.Server): Promise<string> {
  track(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/soap`;
}

async function kindOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "answered";
  } catch (error) {
    if (error instanceof TransportError) return error.kind;
    throw error;
  }
}

describe("postSoap", () => {
  it("posts text/xml with a quoted SOAPAction and returns status, body and headers", async () => {
    let seen: { headers: http.IncomingHttpHeaders; body: string } | undefined;
    const url = await listen(
      http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          seen = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
          res.writeHead(200, { "Content-Type": "text/xml; charset=UTF-8", "X-Test": "1" });
          res.end("<ok>é</ok>");
        });
      }),
    );
    const answer = await postSoap({ url, body: "<req>ü</req>", soapAction: "urn:a:b", timeoutMs: 2000 });
    expect(answer).toMatchObject({ status: 200, body: "<ok>é</ok>" });
    expect(answer.headers["x-test"]).toBe("1");
    expect(seen?.body).toBe("<req>ü</req>");
    expect(seen?.headers["soapaction"]).toBe('"urn:a:b"');
    expect(seen?.headers["content-type"]).toBe("text/xml; charset=UTF-8");
  });

  it("returns HTTP errors as a status, not as an exception", async () => {
    const url = await listen(http.createServer((_req, res) => res.writeHead(500).end("<fault/>")));
    expect(await postSoap({ url, body: "<x/>", timeoutMs: 2000 })).toMatchObject({
      status: 500,
      body: "<fault/>",
    });
  });

  it("reuses one connection for consecutive calls through a keep-alive agent", async () => {
    let connections = 0;
    const server = http.createServer((_req, res) => res.end("<ok/>"));
    server.on("connection", () => connections++);
    const url = await listen(server);
    const agent = createAgent({ keepAlive: true });
    try {
      for (let i = 0; i < 3; i++) await postSoap({ url, body: "<x/>", timeoutMs: 2000, agent });
    } finally {
      agent.destroy();
    }
    expect(connections).toBe(1);
  });

  it("sends again on a fresh connection when a kept-alive socket turns out closed", async () => {
    let connections = 0;
    const served = new WeakMap<object, number>();
    const server = http.createServer((req, res) => {
      const count = (served.get(req.socket) ?? 0) + 1;
      served.set(req.socket, count);
      // The second request on a connection meets a server that had closed it.
      if (count > 1) req.socket.destroy();
      else res.end("<ok/>");
    });
    server.on("connection", () => connections++);
    const url = await listen(server);
    const agent = createAgent({ keepAlive: true });
    try {
      await postSoap({ url, body: "<x/>", timeoutMs: 2000, agent });
      expect(await postSoap({ url, body: "<x/>", timeoutMs: 2000, agent })).toMatchObject({ status: 200 });
    } finally {
      agent.destroy();
    }
    expect(connections).toBe(2);
  });

  it("connect-refused when nobody listens", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await kindOf(postSoap({ url: `http://127.0.0.1:${port}/`, body: "<x/>", timeoutMs: 2000 }))).toBe(
      "connect-refused",
    );
  });

  it("dns when the name does not resolve", async () => {
    expect(
      await kindOf(postSoap({ url: "http://no-such-host.invalid/", body: "<x/>", timeoutMs: 5000 })),
    ).toBe("dns");
  });

  it("timeout when the server accepts and never answers", async () => {
    const url = await listen(net.createServer(() => undefined));
    expect(await kindOf(postSoap({ url, body: "<x/>", timeoutMs: 300 }))).toBe("timeout");
  });

  it("timeout when the body trickles beyond the deadline", async () => {
    const url = await listen(
      http.createServer((_req, res) => {
        res.writeHead(200, { "Content-Type": "text/xml" });
        res.write("<slow>");
        const tick = setInterval(() => res.write("."), 50);
        res.on("close", () => clearInterval(tick));
      }),
    );
    expect(await kindOf(postSoap({ url, body: "<x/>", timeoutMs: 400 }))).toBe("timeout");
  });

  it("reset when the connection drops mid-answer", async () => {
    const url = await listen(
      http.createServer((_req, res) => {
        res.writeHead(200, { "Content-Type": "text/xml", "Content-Length": "1000" });
        res.write("<partial>");
        setTimeout(() => res.socket?.resetAndDestroy(), 20);
      }),
    );
    expect(await kindOf(postSoap({ url, body: "<x/>", timeoutMs: 2000 }))).toBe("reset");
  });

  it("reset when the server closes the connection before any answer", async () => {
    const url = await listen(net.createServer((socket) => socket.once("data", () => socket.destroy())));
    expect(await kindOf(postSoap({ url, body: "<x/>", timeoutMs: 2000 }))).toBe("reset");
  });

  it("too-large for a declared or a streamed answer over the cap", async () => {
    const big = "x".repeat(64 * 1024);
    const declared = await listen(http.createServer((_req, res) => res.end(big)));
    expect(
      await kindOf(postSoap({ url: declared, body: "<x/>", timeoutMs: 2000, maxResponseBytes: 1024 })),
    ).toBe("too-large");
    const chunked = await listen(
      http.createServer((_req, res) => {
        res.writeHead(200, { "Content-Type": "text/xml" });
        for (let i = 0; i < 64; i++) res.write(big);
        res.end();
      }),
    );
    expect(await kindOf(postSoap({ url: chunked, body: "<x/>", timeoutMs: 5000 }))).toBe("too-large");
  });

  it("tls when the server does not speak TLS", async () => {
    const url = await listen(net.createServer((socket) => socket.end("HTTP/1.1 400 Bad Request\r\n\r\n")));
    const agent = createAgent({ keepAlive: true });
    try {
      expect(
        await kindOf(postSoap({ url: url.replace("http:", "https:"), body: "<x/>", timeoutMs: 2000, agent })),
      ).toBe("tls");
    } finally {
      agent.destroy();
    }
  });

  it("refuses other protocols", async () => {
    await expect(postSoap({ url: "ftp://127.0.0.1/", body: "<x/>", timeoutMs: 100 })).rejects.toThrow(
      TypeError,
    );
  });
});
