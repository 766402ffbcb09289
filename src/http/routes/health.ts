import type { Handlers } from "../app.js";

export interface HealthSource {
  health(): {
    status: "ok" | "degraded";
    version: string;
    environment: string;
    mycarenet: { state: "unknown" | "reachable" | "unreachable"; since: string | null };
    sessions: { open: number };
  };
}

export function healthHandlers(source: HealthSource): Handlers {
  return { getHealth: async () => source.health() };
}
