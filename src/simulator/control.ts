// The simulator's small JSON control API (demo mode, tests, humans with curl):
//   GET    /_control/faults                 the fault plan in force
//   PUT    /_control/faults                 replace it (faults.ts says what each kind does)
//   DELETE /_control/faults                 back to no fault
//   GET    /_control/population/scenarios   the named scenario patients and how to ask for them
//   GET    /_control/stats                  counts since start or reset (stats.ts) and what the
//                                            simulator runs with
//   DELETE /_control/stats                  counts back to zero
// The population is synthetic: nothing here is personal data.
import type { Faults, FaultPlan } from "./faults.js";
import { parseFaultPlan } from "./faults.js";
import type { Population } from "./population.js";

export const CONTROL_PREFIX = "/_control/";

export interface ControlContext {
  faults: Faults;
  population: Population;
  stats: () => Promise<Record<string, unknown>>;
  resetStats: () => Promise<void>;
}

export interface ControlReply {
  status: number;
  json: unknown;
  /** Applied once the answer is on its way (a plan that closes the listener must not cut it). */
  after?: () => void;
}

export async function control(
  method: string,
  path: string,
  body: string,
  ctx: ControlContext,
): Promise<ControlReply> {
  const route = path.slice(CONTROL_PREFIX.length);
  if (route === "faults") {
    if (method === "GET") return { status: 200, json: ctx.faults.plan() };
    if (method === "DELETE") return { status: 200, json: {}, after: () => ctx.faults.clear() };
    if (method === "PUT") {
      let input: unknown;
      try {
        input = JSON.parse(body);
      } catch {
        return { status: 400, json: { code: "REQUEST_INVALID", reason: "the body is not JSON" } };
      }
      const plan = parseFaultPlan(input);
      if (!plan.ok) return { status: 400, json: { code: plan.code, reason: plan.detail?.["reason"] } };
      const accepted: FaultPlan = plan.value;
      return { status: 200, json: accepted, after: () => ctx.faults.set(accepted) };
    }
    return { status: 405, json: { code: "METHOD_NOT_ALLOWED" } };
  }
  if (route === "stats" && method === "DELETE") {
    await ctx.resetStats();
    return { status: 200, json: await ctx.stats() };
  }
  if (method !== "GET") return { status: 405, json: { code: "METHOD_NOT_ALLOWED" } };
  if (route === "population/scenarios") {
    return {
      status: 200,
      json: {
        today: ctx.population.today,
        scenarios: Object.values(ctx.population.scenarios).map(
          ({ person: _person, ...scenario }) => scenario,
        ),
      },
    };
  }
  if (route === "stats") return { status: 200, json: await ctx.stats() };
  return { status: 404, json: { code: "NOT_FOUND" } };
}
