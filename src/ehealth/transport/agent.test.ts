import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { testPki } from "../../../tests/support/pki.js";
import { createAgent } from "./agent.js";

describe("createAgent", () => {
  it("keeps sockets alive and trusts only the given CA, from PEM or DER", () => {
    const pem = testPki().ca.certPem;
    const der = Buffer.from(new X509Certificate(pem).raw);
    for (const tlsCa of [Buffer.from(pem), der]) {
      const agent = createAgent({ keepAlive: true, tlsCa });
      try {
        expect(agent.https.options.keepAlive).toBe(true);
        const ca = String(agent.https.options.ca);
        expect(new X509Certificate(ca).fingerprint256).toBe(new X509Certificate(pem).fingerprint256);
      } finally {
        agent.destroy();
      }
    }
  });

  it("uses the system roots without tlsCa", () => {
    const agent = createAgent({ keepAlive: false });
    expect(agent.https.options.ca).toBeUndefined();
    agent.destroy();
  });
});
