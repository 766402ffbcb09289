// The audit actions are in the hash chain of every pharmacy's trail: renaming or removing one
// would make old entries unreadable by the purpose report. Adding one is fine: add it here too.
import { describe, expect, it } from "vitest";
import {
  AUDIT_ACTIONS,
  COMMITMENT_ACTIONS,
  PRICING_OFFICE_ACTIONS,
  PURPOSE_ACTIONS,
} from "./audit-actions.js";

const LOCKED = [
  "consultation.recorded",
  "consultation.rejected",
  "delivery.confirmed",
  "fallback.answered",
  "recall.resolved",
  "recall.handled",
  "retention.purged",
  "session.opened",
  "session.closed",
  "pricing-office.consulted",
  "pricing-office.refused",
  "pricing-office.rejected",
  "pricing-office.unanswered",
  "proportionality.refused",
  "proportionality.lifted",
  "commitment.looked-up",
  "mandate.given",
  "mandate.revoked",
  "consultation.imported",
];

describe("audit actions", () => {
  it("keeps every action ever written, under its exact name", () => {
    for (const action of LOCKED) expect(AUDIT_ACTIONS).toContain(action);
  });

  it("lists each action once, as a dotted lower-case name", () => {
    expect(new Set(AUDIT_ACTIONS).size).toBe(AUDIT_ACTIONS.length);
    for (const action of AUDIT_ACTIONS) expect(action).toMatch(/^[a-z-]+\.[a-z-]+$/);
  });

  it("names only listed actions in the purpose groups", () => {
    for (const action of [
      ...Object.values(PURPOSE_ACTIONS),
      ...PRICING_OFFICE_ACTIONS,
      ...Object.values(COMMITMENT_ACTIONS),
    ])
      expect(AUDIT_ACTIONS).toContain(action);
  });
});
