import type { Handlers } from "../app.js";

export interface HealthSource {
  health(): {
    status: "ok" | "degraded";
    version: string;
    environment: string;
    mycarenet: {
      state: "unknown" | "reachable" | "unreachable";
      since: string | null;
      circuit?: {
        state: "closed" | "open";
        consecutiveOutages: number;
        lastOutage: string | null;
        lastOutageKind: string | null;
        opened: number;
      };
    };
    recalls?: { pending: number; discrepanciesOpen: number };
    sessions: { open: number };
    proportionality?: { state: "ok" | "alert" | "lifted"; rules: string[]; since: string | null };
  };
}

export function healthHandlers(source: HealthSource): Handlers {
  return { getHealth: async () => source.health() };
}
