// Hosts one SoapEndpoint on loopback for the STS tests, acting out `transport: "drop"` the way
// the simulator's server does. Requests and replies pass through optional hooks, so tests can
// capture what the client sent or tamper with either direction.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { SoapEndpoint, SoapReply } from "../../soap-endpoint.js";

export interface Served {
  readonly url: string;
  readonly requests: string[];
  close(): Promise<void>;
}

export interface ServeHooks {
  onRequest?: (body: string) => string;
  onReply?: (reply: SoapReply) => SoapReply;
}

export async function serveEndpoint(
  endpoint: SoapEndpoint,
  path: string,
  hooks: ServeHooks = {},
): Promise<Served> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const sent = Buffer.concat(chunks).toString("utf8");
      requests.push(sent);
      const body = hooks.onRequest ? hooks.onRequest(sent) : sent;
      endpoint({ path: req.url ?? "/", body, headers: req.headers }).then(
        (raw) => {
          const reply = hooks.onReply ? hooks.onReply(raw) : raw;
          if (reply.transport !== undefined) {
            req.socket.destroy();
            return;
          }
          res.writeHead(reply.status, { "Content-Type": reply.contentType ?? "text/xml; charset=UTF-8" });
          res.end(reply.body);
        },
        (error: unknown) => {
          res.writeHead(500).end(String(error));
        },
      );
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
