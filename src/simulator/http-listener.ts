// One loopback HTTP listener that can be shut (connections refused: ECONNREFUSED) and opened
// again on the same port, which is how the simulator acts out "the platform is down". Every
// open socket is tracked so that shutting or stopping leaves nothing behind.
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Listener {
  /** The port actually bound (known after the first open, kept across shut/open). */
  readonly port: number;
  readonly open: boolean;
  listen(): Promise<void>;
  /** Stops accepting and destroys every connection, idle or not. */
  shut(): Promise<void>;
}

export function createListener(host: string, port: number, handler: Handler): Listener {
  let server: Server | undefined;
  let boundPort = port;
  const sockets = new Set<Socket>();

  const listen = async (): Promise<void> => {
    if (server !== undefined) return;
    const s = createServer({ keepAlive: true }, handler);
    // Keep-alive on (SPEC §3): the daemon's agent reuses connections between consultations.
    s.keepAliveTimeout = 10_000;
    s.on("connection", (socket: Socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    server = s;
    await new Promise<void>((resolve, reject) => {
      s.once("error", reject);
      s.listen(boundPort, host, () => {
        s.off("error", reject);
        const address = s.address();
        if (address !== null && typeof address === "object") boundPort = address.port;
        resolve();
      });
    });
  };

  const shut = async (): Promise<void> => {
    const s = server;
    if (s === undefined) return;
    server = undefined;
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await closed;
  };

  return {
    get port() {
      return boundPort;
    },
    get open() {
      return server !== undefined;
    },
    listen,
    shut,
  };
}
