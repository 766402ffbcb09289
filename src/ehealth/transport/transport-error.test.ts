import { describe, expect, it } from "vitest";
import { classifySocketError, TransportError } from "./transport-error.js";

const err = (code?: string) => Object.assign(new Error("boom"), code === undefined ? {} : { code });

describe("classifySocketError", () => {
  it.each([
    ["ECONNREFUSED", false, "connect-refused"],
    ["EHOSTUNREACH", false, "connect-refused"],
    ["ENOTFOUND", false, "dns"],
    ["EAI_AGAIN", false, "dns"],
    ["ETIMEDOUT", false, "connect-timeout"],
    ["ETIMEDOUT", true, "timeout"],
    ["ECONNRESET", true, "reset"],
    ["EPIPE", true, "reset"],
    ["DEPTH_ZERO_SELF_SIGNED_CERT", false, "tls"],
    ["ERR_TLS_CERT_ALTNAME_INVALID", false, "tls"],
    ["ERR_SSL_WRONG_VERSION_NUMBER", false, "tls"],
    ["CERT_HAS_EXPIRED", false, "tls"],
    [undefined, true, "reset"],
  ])("%s (connected: %s) is %s", (code, connected, kind) => {
    const classified = classifySocketError(err(code), connected);
    expect(classified).toBeInstanceOf(TransportError);
    expect(classified.kind).toBe(kind);
    expect(classified.code).toBe(code);
    expect(classified.cause).toBeInstanceOf(Error);
  });
});
