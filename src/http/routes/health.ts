import type { Handlers } from "../app.js";

export interface HealthSource {
  health(): {
    status: "ok" | "degraded";
    version: string;
    environment: string;
    mycarenet: {
      state: "unknown" | "reachable" | "unreachable" | "no-session";
      since: string | null;
      /** Insurers (national unions) whose known patients go to the fallback. */
      silentInsurers?: string[];
      circuit?: {
        state: "closed" | "open" | "half-open";
        consecutiveOutages: number;
        lastOutage: string | null;
        lastOutageKind: string | null;
        opened: number;
      };
    };
    recalls?: { pending: number; discrepanciesOpen: number };
    sessions: { open: number };
    proportionality?: { state: "ok" | "alert" | "lifted"; rules: string[]; since: string | null };
    /** This computer's clock against eHealth's (HTTP Date), alert beyond 60 s (issue 15). */
    clock?: { skewSeconds: number | null; alert: boolean; since: string | null };
    /** Certificates expired or expiring within 30 days, naming each (issue 15). */
    certificates?: {
      expiring: ReadonlyArray<{ certificate: string; notAfter: string; daysLeft: number; expired: boolean }>;
    };
  };
}

export function healthHandlers(source: HealthSource): Handlers {
  return { getHealth: async () => source.health() };
}
