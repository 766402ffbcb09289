// src/log.ts: one request's log line through the daemon's logger, scrubbing included (~5.5 µs
// cited; pino's path redaction was ~40 µs), and maskNissLike on a line of text.
import { Writable } from "node:stream";
export const name = "log";
export async function cases(load) {
  const { createLogger, maskNissLike } = await load("log.js");
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const logger = createLogger({ destination: sink });
  const child = logger.child({ reqId: "req-1" });
  const line = {
    req: { method: "POST", url: "/v1/consultations", hostId: "127.0.0.1", remoteAddress: "127.0.0.1" },
    res: { statusCode: 201 },
    responseTime: 3.2,
    consultation: { outcome: "online", reference: "bench-1" },
  };
  return [
    { name: "request log line (scrubbed)", fn: () => child.info(line, "request completed") },
    {
      name: "maskNissLike (80 characters)",
      fn: () => maskNissLike("patient 85.07.30-033.28 asked at 2026-12-03 for reference bench-12345"),
    },
  ];
}
