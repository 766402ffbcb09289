// The one HTTP POST every SOAP call goes through (STS, insurability). One deadline covers the
// whole exchange; a connection not up by the connect deadline is "connect-timeout", an answer
// not complete by the deadline is "timeout". The answer is capped in size before it is buffered.
// A kept-alive socket that the server closed while idle fails on reuse before any answer: that
// request is sent again on another socket (at most three attempts, same deadline).
import http from "node:http";
import https from "node:https";
import type { Socket } from "node:net";
import type { SoapAgent } from "./agent.js";
import { classifySocketError, TransportError, type TransportErrorKind } from "./transport-error.js";

export const DEFAULT_MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
/**
 * eHealth asks integrators to name themselves (mycarenet-protocol §3.7) as `name/version`, the
 * name in letters and digits only: no hyphen, so "McnRights", and the package's version.
 */
export const USER_AGENT = "McnRights/0.1.0";

export interface PostSoapOptions {
  readonly url: string | URL;
  readonly body: string;
  /** HEAD: a connection-level check, no payload (the reachability probe, issue 13). */
  readonly method?: "POST" | "HEAD";
  /** Sent quoted, as SOAP 1.1 wants it. */
  readonly soapAction?: string;
  readonly timeoutMs: number;
  /** Defaults to timeoutMs. */
  readonly connectTimeoutMs?: number;
  readonly agent?: SoapAgent;
  readonly maxResponseBytes?: number;
}

export interface SoapHttpResponse {
  readonly status: number;
  readonly body: string;
  readonly headers: http.IncomingHttpHeaders;
}

export async function postSoap(opts: PostSoapOptions): Promise<SoapHttpResponse> {
  const url = new URL(opts.url);
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new TypeError(`unsupported protocol ${url.protocol}`);
  const deadline = Date.now() + opts.timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await exchange(url, opts, Math.max(1, deadline - Date.now()));
    } catch (error) {
      // A kept-alive socket the server had already closed: the request never reached it (Go's
      // errServerClosedIdle). Try again on another socket, within the same deadline.
      if (!(error instanceof StaleSocket) || attempt >= MAX_ATTEMPTS || Date.now() >= deadline) {
        throw error instanceof StaleSocket ? error.failure : error;
      }
    }
  }
}

/** What a SOAP call's caller branches on: the answer, or the transport's failure as a value. */
export type SoapExchange =
  | { readonly ok: true; readonly response: SoapHttpResponse }
  | { readonly ok: false; readonly failure: TransportError };

/**
 * `postSoap` with a transport failure returned instead of thrown, so that each client maps it
 * in one branch (insurability: an outage; the probe: unreachable; STS: STS_UNAVAILABLE). Any
 * other error (a programming error) still throws.
 */
export async function sendSoap(opts: PostSoapOptions): Promise<SoapExchange> {
  try {
    return { ok: true, response: await postSoap(opts) };
  } catch (error) {
    if (error instanceof TransportError) return { ok: false, failure: error };
    throw error;
  }
}

const MAX_ATTEMPTS = 3;

class StaleSocket extends Error {
  constructor(readonly failure: TransportError) {
    super(failure.message);
  }
}

function exchange(url: URL, opts: PostSoapOptions, timeoutMs: number): Promise<SoapHttpResponse> {
  const secure = url.protocol === "https:";
  const payload = Buffer.from(opts.body, "utf8");
  const maxBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const head = opts.method === "HEAD";
  const headers: http.OutgoingHttpHeaders = head
    ? { Accept: "text/xml", "User-Agent": USER_AGENT }
    : {
        "Content-Type": "text/xml; charset=UTF-8",
        "Content-Length": payload.length,
        Accept: "text/xml",
        "User-Agent": USER_AGENT,
        ...(opts.soapAction === undefined ? {} : { SOAPAction: `"${opts.soapAction}"` }),
      };

  return new Promise((resolve, reject) => {
    let settled = false;
    let connected = false;
    let reused = false;
    let answered = false;
    const request = (secure ? https : http).request(url, {
      method: head ? "HEAD" : "POST",
      headers,
      agent: opts.agent ? (secure ? opts.agent.https : opts.agent.http) : undefined,
    });
    const finish = (error: TransportError | undefined, response?: SoapHttpResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(connectDeadline);
      if (error) {
        request.destroy();
        reject(error.kind === "reset" && reused && !answered ? new StaleSocket(error) : error);
      } else if (response) resolve(response);
    };
    const timeUp = (kind: TransportErrorKind, ms: number) => () =>
      finish(
        new TransportError(
          kind,
          `${kind}: no ${kind === "timeout" ? "complete answer" : "connection"} after ${ms} ms`,
        ),
      );
    const deadline = setTimeout(
      () => timeUp(connected ? "timeout" : "connect-timeout", timeoutMs)(),
      timeoutMs,
    );
    const connectMs = Math.min(opts.connectTimeoutMs ?? timeoutMs, timeoutMs);
    const connectDeadline = setTimeout(() => {
      if (!connected) timeUp("connect-timeout", connectMs)();
    }, connectMs);

    request.on("socket", (socket: Socket) => {
      if (!socket.connecting) {
        connected = true;
        reused = true;
        return;
      }
      socket.once(secure ? "secureConnect" : "connect", () => {
        connected = true;
      });
    });
    request.on("error", (error) => finish(classifySocketError(error, connected)));
    request.on("response", (response) => {
      answered = true;
      const date = response.headers.date === undefined ? NaN : Date.parse(response.headers.date);
      if (Number.isFinite(date)) opts.agent?.onServerDate?.(new Date(date));
      const declared = Number(response.headers["content-length"]);
      if (Number.isFinite(declared) && declared > maxBytes) {
        finish(new TransportError("too-large", `too-large: answer of ${declared} bytes`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes)
          finish(new TransportError("too-large", `too-large: answer over ${maxBytes} bytes`));
        else chunks.push(chunk);
      });
      response.on("error", (error) => finish(classifySocketError(error, true)));
      response.on("aborted", () => finish(new TransportError("reset", "reset: the answer was cut off")));
      response.on("close", () => {
        if (!response.complete) finish(new TransportError("reset", "reset: the answer was cut off"));
      });
      response.on("end", () =>
        finish(undefined, {
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks, size).toString("utf8"),
          headers: response.headers,
        }),
      );
    });
    if (head) request.end();
    else request.end(payload);
  });
}
