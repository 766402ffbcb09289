// One pair of keep-alive agents per upstream, created at start and passed to every call: the
// TLS handshake to eHealth is paid once, not per consultation.
import http from "node:http";
import https from "node:https";

export interface SoapAgent {
  readonly http: http.Agent;
  readonly https: https.Agent;
  /** Called with the `Date` of every answer (clock-skew watch, clock-skew.ts). */
  readonly onServerDate?: (date: Date) => void;
  /** Closes idle sockets (at shutdown). */
  destroy(): void;
}

export interface AgentOptions {
  /** Trust only this CA (PEM or DER) for TLS, instead of the system roots (the simulator's CA). */
  readonly tlsCa?: Buffer;
  readonly keepAlive: boolean;
  readonly maxSockets?: number;
  readonly onServerDate?: (date: Date) => void;
}

export function createAgent(opts: AgentOptions): SoapAgent {
  const common = {
    keepAlive: opts.keepAlive,
    maxSockets: opts.maxSockets ?? 16,
    scheduling: "lifo" as const,
  };
  const httpAgent = new http.Agent(common);
  const httpsAgent = new https.Agent({
    ...common,
    minVersion: "TLSv1.2",
    ...(opts.tlsCa === undefined ? {} : { ca: toPem(opts.tlsCa) }),
  });
  return {
    http: httpAgent,
    https: httpsAgent,
    ...(opts.onServerDate ? { onServerDate: opts.onServerDate } : {}),
    destroy() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function toPem(ca: Buffer): string {
  const text = ca.toString("latin1");
  if (text.includes("-----BEGIN")) return text;
  const b64 = ca.toString("base64").replace(/.{64}/g, "$&\n");
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}
