// Admin routes: the retention purge on demand (SPEC §1.3) and the audit trail's check (§1.5).
import { CodedError } from "../../errors.js";
import type { RetentionPurger } from "../../services/retention.js";
import type { Store } from "../../store/store.js";
import type { Handlers } from "../app.js";

export function maintenanceHandlers(store: Store, retention: RetentionPurger): Handlers {
  return {
    runPurge: async () => retention.run("request"),
    verifyAudit: async (request) => {
      const { anchorSeq, anchorHash } = request.query as { anchorSeq?: number | string; anchorHash?: string };
      if ((anchorSeq === undefined) !== (anchorHash === undefined)) {
        throw new CodedError("REQUEST_INVALID", {
          errors: [{ path: "querystring", message: "anchorSeq and anchorHash go together" }],
        });
      }
      const anchor =
        anchorSeq !== undefined && anchorHash !== undefined
          ? { seq: Number(anchorSeq), hash: anchorHash }
          : undefined;
      const result = store.verifyAudit(anchor);
      const head = store.auditHead();
      return result.ok
        ? { ok: true, entries: result.entries, head }
        : { ok: false, firstBadSeq: result.firstBadSeq, problem: result.problem, head };
    },
  };
}
