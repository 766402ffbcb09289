// Purpose and proportionality wired together for the daemon (SPEC §1.3 retention, §1.6): the
// guard that every MyCareNet consultation passes first, the pricing office's consultation, the
// purpose report, the daily retention purge, the audit check — with their log lines, metrics,
// health and HTTP handlers. daemon.ts composes it; nothing here listens or reads the environment.
import type { Config } from "../config/index.js";
import type { MyCareNetGateway } from "../services/gateway.js";
import type { Handlers } from "../http/app.js";
import type { Metrics } from "../http/metrics.js";
import { maintenanceHandlers } from "../http/routes/maintenance.js";
import { pricingOfficeHandlers } from "../http/routes/pricing-office.js";
import { proportionalityHandlers } from "../http/routes/proportionality.js";
import { reportHandlers } from "../http/routes/reports.js";
import type { Logger } from "../log.js";
import type { Store } from "../store/store.js";
import { ProportionalityGuard } from "../services/proportionality-guard.js";
import { PricingOfficeService } from "../services/pricing-office.js";
import { RetentionPurger } from "../services/retention.js";

export { ProportionalityGuard } from "../services/proportionality-guard.js";
export type { ConsultationGuard, GuardRequest, GuardStatus } from "../services/proportionality-guard.js";
export { PricingOfficeService } from "../services/pricing-office.js";
export type { PricingOfficeAnswer, PricingOfficeBody } from "../services/pricing-office.js";
export { purposeReportFor } from "../services/purpose-report.js";
export { RetentionPurger } from "../services/retention.js";
export type { PurgeRun } from "../services/retention.js";

export interface PurposeDeps {
  readonly config: Pick<Config, "proportionality" | "pricingOffice" | "retentionMonths">;
  readonly store: Store;
  readonly gateway: MyCareNetGateway;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly clock: () => Date;
}

export interface ProportionalityHealth {
  state: "ok" | "alert" | "lifted";
  rules: string[];
  since: string | null;
}

export interface Purpose {
  readonly guard: ProportionalityGuard;
  readonly pricingOffice: PricingOfficeService;
  readonly retention: RetentionPurger;
  readonly handlers: Handlers;
  /** For GET /v1/health; also refreshes the alert gauge. */
  health(): ProportionalityHealth;
  /** Starts the daily purge (runs today's at once if it has not run yet). */
  start(): void;
  close(): void;
}

export function createPurpose(d: PurposeDeps): Purpose {
  const { store, metrics, logger, clock } = d;
  const guard = new ProportionalityGuard({
    store: store.compliance,
    limits: d.config.proportionality,
    clock,
    events: {
      refused({ rule, count, limit, opensAlert }) {
        metrics.proportionalityRefusals.inc({ rule });
        metrics.proportionalityAlert.set(1);
        // Once per rule and day at warn; the audit trail has every refusal. Never the patient.
        if (opensAlert)
          logger.warn(
            { rule, count, limit },
            "proportionality alert: bulk consultation pattern refused before MyCareNet",
          );
        else logger.info({ rule, count, limit }, "proportionality: consultation refused");
      },
      lifted(lift) {
        metrics.proportionalityAlert.set(0);
        logger.warn(
          { day: lift.day, by: lift.liftedBy },
          "proportionality block lifted for the day by a pharmacist",
        );
      },
    },
  });
  const pricingOffice = new PricingOfficeService({
    gateway: d.gateway,
    store,
    policy: {
      insurabilityReasons: new Set(d.config.pricingOffice.reasons),
      maxUsesPerRejection: d.config.pricingOffice.maxUses,
    },
    clock,
    onResult: (result) => metrics.pricingOffice.inc({ result }),
  });
  const retention = new RetentionPurger({
    store,
    months: d.config.retentionMonths,
    clock,
    onPurge(run, trigger) {
      for (const [table, n] of Object.entries(run.purged)) metrics.purged.inc({ table }, n);
      metrics.lastPurge.set(Date.parse(run.at) / 1000);
      // The audit head, logged daily, is an anchor for GET /v1/audit/verify later.
      logger.info(
        { trigger, before: run.before, purged: run.purged, auditHead: store.auditHead() },
        "retention purge",
      );
    },
    onError: (err) => logger.error({ err }, "retention purge failed"),
  });

  const health = (): ProportionalityHealth => {
    const status = guard.status();
    metrics.proportionalityAlert.set(status.state === "alert" ? 1 : 0);
    return {
      state: status.state,
      rules: status.alerts.map((a) => a.rule),
      since: status.alerts[0]?.firstAt ?? null,
    };
  };

  return {
    guard,
    pricingOffice,
    retention,
    handlers: {
      ...pricingOfficeHandlers(pricingOffice),
      ...proportionalityHandlers(guard),
      ...reportHandlers(store),
      ...maintenanceHandlers(store, retention),
    },
    health,
    start: () => retention.start(),
    close: () => retention.stop(),
  };
}
