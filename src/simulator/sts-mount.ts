// Where the simulator's STS (src/simulator/sts) plugs into the server, both doors (WS-Trust and
// legacy SAML-P), with the faults of the plan that concern it: the "sts" scope (faults.ts) and
// "wrong-key" for all. The STS reads its configuration object afresh on every request, so its
// mode is set per request here.
import { X509Certificate } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { rulesOf } from "./faults.js";
import type { FaultDecision, Faults } from "./faults.js";
import type { DemoPki } from "./pki/index.js";
import type { SoapEndpoint, SoapReply, SoapRequest } from "./soap-endpoint.js";
import { stsConfigFromPki } from "./sts/config.js";
import type { StsMode, StsSimulatorConfig } from "./sts/config.js";
import { createStsEndpoint, STS_PATH } from "./sts/endpoint.js";
import { StsCounters } from "./sts/stats.js";
import { createWsTrustEndpoint, WS_TRUST_STS_PATH } from "./sts/wstrust-endpoint.js";
import { validateXsd } from "./xsd.js";

export { STS_PATH, WS_TRUST_STS_PATH };

export const SAML_PROTOCOL_XSD = "oasis-sstc-saml-schema-protocol-1.1.xsd";
export const WS_TRUST_XSD = "ws-trust-1.3.xsd";

export interface StsHandle {
  /** The legacy SAML-P door. */
  endpoint: SoapEndpoint;
  /** The WS-Trust door (the default). */
  wsTrust: SoapEndpoint;
  /** Requests and outcomes per door. */
  counters: StsCounters;
  /** The STS's own configuration (registry of pharmacies, lifetime, clock): tests may change it. */
  config: StsSimulatorConfig;
}

export function mountSts(options: {
  pki: DemoPki;
  now: () => Date;
  lifetimeSeconds: number;
  faults: Faults;
  strict: boolean;
  xsdDir: string;
  signal?: AbortSignal;
}): StsHandle {
  const validator = (xsd: string) =>
    options.strict ? { validate: (xml: string) => validateXsd(xml, options.xsdDir, xsd) } : {};
  const config = stsConfigFromPki(options.pki, {
    lifetimeSeconds: options.lifetimeSeconds,
    clock: options.now,
    ...validator(SAML_PROTOCOL_XSD),
  });
  const counters = new StsCounters();
  const legacy = createStsEndpoint(config, counters);
  // The same registry, lifetime, clock and mode (tests change them on `config`), its own schema.
  const wsTrust = createWsTrustEndpoint(config, counters, validator(WS_TRUST_XSD));

  const serve = async (sts: SoapEndpoint, request: SoapRequest, d: FaultDecision): Promise<SoapReply> => {
    const wrongKeyForAll = rulesOf(options.faults.plan().all).some((r) => r.kind === "wrong-key");
    const mode: StsMode =
      d.kind === "down"
        ? "down"
        : d.kind === "system-error"
          ? "system-error"
          : d.kind === "wrong-key" || wrongKeyForAll
            ? "wrong-key"
            : "normal";
    config.mode = mode;
    if (d.kind === "system-error")
      config.systemErrorCode = d.code === "SOA-02002" ? "SOA-02002" : "SOA-02001";
    try {
      const reply = await sts(request);
      if (d.kind === "reset") return { ...reply, transport: "reset" };
      if (d.kind === "malformed")
        return { ...reply, body: reply.body.slice(0, Math.floor(reply.body.length / 2)) };
      return reply;
    } finally {
      config.mode = "normal";
    }
  };

  // The mode holds for one request at a time: STS calls are few (one per session), so they are
  // served in turn rather than letting two requests see each other's mode.
  let turn: Promise<unknown> = Promise.resolve();
  const door =
    (sts: SoapEndpoint): SoapEndpoint =>
    async (request) => {
      const d = options.faults.decide("sts");
      if (d.latencyMs > 0)
        await sleep(d.latencyMs, undefined, options.signal ? { signal: options.signal } : {});
      if (d.kind === "slow") return { status: 200, body: "", transport: "hang" };
      const mine = turn.then(() => serve(sts, request, d));
      turn = mine.catch(() => undefined);
      return mine;
    };
  return { endpoint: door(legacy), wsTrust: door(wsTrust), counters, config };
}

export function certificateDerOf(pem: string): Buffer {
  return Buffer.from(new X509Certificate(pem).raw);
}
