import { describe, expect, it } from "vitest";
import { DEFAULTS, loadConfig } from "../config/index.js";
import { exposureWarning, isLoopback } from "./exposure.js";

describe("the listen address", () => {
  it("is loopback unless told otherwise", () => {
    expect(DEFAULTS.listen).toBe("127.0.0.1:8750");
    const loaded = loadConfig({});
    expect(loaded.ok && loaded.config.listen).toEqual({ host: "127.0.0.1", port: 8750 });
    expect(loaded.ok && exposureWarning(loaded.config.listen.host)).toBeUndefined();
  });

  it.each([
    "127.0.0.1",
    "127.1.2.3",
    "::1",
    "[::1]",
    "0:0:0:0:0:0:0:1",
    "::ffff:127.0.0.1",
    "localhost",
    "LocalHost",
  ])("%s is loopback: no warning", (host) => {
    expect(isLoopback(host)).toBe(true);
    expect(exposureWarning(host)).toBeUndefined();
  });

  it.each([
    "0.0.0.0",
    "::",
    "192.168.1.20",
    "10.0.0.1",
    "::ffff:10.0.0.1",
    "128.0.0.1",
    "pharmacy.local",
    "fe80::1",
    "127.0.0.1.example.com",
  ])("%s is exposed: warned, naming TLS", (host) => {
    expect(isLoopback(host)).toBe(false);
    expect(exposureWarning(host)).toMatch(/without TLS/);
  });
});
