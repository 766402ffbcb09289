// What went wrong below HTTP, as a stable kind the fallback tree can branch on (STYLE: the
// failure taxonomy, after undici's UND_ERR_* codes). An HTTP status is an answer, not an error:
// postSoap returns it.
export type TransportErrorKind =
  | "connect-refused"
  | "connect-timeout"
  /** No complete answer in time: headers or body (the server accepted, then stalled). */
  | "timeout"
  /** The connection dropped before the answer was complete. */
  | "reset"
  | "tls"
  | "dns"
  /** The answer exceeded the size cap. */
  | "too-large";

export class TransportError extends Error {
  readonly kind: TransportErrorKind;
  /** The system or OpenSSL code when there is one (ECONNRESET, ERR_SSL_…), for the log. */
  readonly code: string | undefined;
  constructor(kind: TransportErrorKind, message: string, options?: { cause?: unknown; code?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TransportError";
    this.kind = kind;
    this.code = options?.code;
  }
}

const TLS_CODES = new Set([
  "EPROTO",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_SIGNATURE_FAILURE",
  "HOSTNAME_MISMATCH",
]);

/** Classifies a socket-level error from node:http/https (connected: the TCP/TLS link was up). */
export function classifySocketError(error: unknown, connected: boolean): TransportError {
  const code =
    typeof (error as { code?: unknown })?.code === "string" ? (error as { code: string }).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const kind = ((): TransportErrorKind => {
    if (code === undefined) return "reset";
    if (
      code === "ECONNREFUSED" ||
      code === "ENETUNREACH" ||
      code === "EHOSTUNREACH" ||
      code === "EADDRNOTAVAIL"
    ) {
      return "connect-refused";
    }
    if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_FAIL" || code === "EAI_NONAME")
      return "dns";
    if (code === "ETIMEDOUT") return connected ? "timeout" : "connect-timeout";
    if (
      TLS_CODES.has(code) ||
      code.startsWith("ERR_TLS_") ||
      code.startsWith("ERR_SSL_") ||
      code.startsWith("CERT_")
    ) {
      return "tls";
    }
    return "reset"; // ECONNRESET, EPIPE, ECONNABORTED, socket hang up, premature close
  })();
  return new TransportError(kind, `${kind}: ${message}`, {
    cause: error,
    ...(code === undefined ? {} : { code }),
  });
}
