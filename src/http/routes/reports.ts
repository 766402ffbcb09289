// GET /v1/reports/purpose?month=YYYY-MM (SPEC §1.6): JSON, or CSV with `Accept: text/csv`.
import { isMonth, purposeReportCsv } from "../../purpose/index.js";
import { CodedError } from "../../errors.js";
import { purposeReportFor } from "../../services/purpose-report.js";
import type { Store } from "../../store/store.js";
import type { Handlers } from "../app.js";

/** True when the client prefers CSV (a plain `Accept: text/csv`, or CSV ranked above JSON). */
export function wantsCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  let csv = -1;
  let json = -1;
  for (const part of accept.split(",")) {
    const [type = "", ...params] = part.trim().toLowerCase().split(";");
    const q = Number(
      params
        .find((p) => p.trim().startsWith("q="))
        ?.trim()
        .slice(2) ?? "1",
    );
    if (!Number.isFinite(q) || q <= 0) continue;
    if (type.trim() === "text/csv") csv = Math.max(csv, q);
    if (type.trim() === "application/json" || type.trim() === "*/*") json = Math.max(json, q);
  }
  return csv >= 0 && csv >= json;
}

export function reportHandlers(store: Store): Handlers {
  return {
    getPurposeReport: async (request, reply) => {
      const { month } = request.query as { month: string };
      if (!isMonth(month))
        throw new CodedError("REQUEST_INVALID", {
          errors: [{ path: "querystring/month", message: "expected YYYY-MM" }],
        });
      const report = purposeReportFor(store, month);
      if (!wantsCsv(request.headers.accept)) return report;
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="purpose-${month}.csv"`)
        .send(purposeReportCsv(report));
    },
  };
}
