import { describe, expect, it } from "vitest";
import { DEFAULT_RETENTION_MONTHS, retentionCutoff } from "./retention.js";

describe("retentionCutoff (SPEC §1.3; art. 174, 3°: two years from the end of the month)", () => {
  it("keeps the current month and the 24 before it by default", () => {
    expect(DEFAULT_RETENTION_MONTHS).toBe(24);
    expect(retentionCutoff("2026-03-15", 24)).toBe("2024-03-01");
    expect(retentionCutoff("2026-03-01", 24)).toBe("2024-03-01");
    expect(retentionCutoff("2026-03-31", 24)).toBe("2024-03-01");
  });

  it("crosses year boundaries", () => {
    expect(retentionCutoff("2026-01-10", 1)).toBe("2025-12-01");
    expect(retentionCutoff("2026-01-10", 13)).toBe("2024-12-01");
    expect(retentionCutoff("2026-12-31", 12)).toBe("2025-12-01");
    expect(retentionCutoff("2026-05-05", 0)).toBe("2026-05-01");
  });

  it("refuses nonsense", () => {
    expect(() => retentionCutoff("2026-02-30", 24)).toThrow(RangeError);
    expect(() => retentionCutoff("2026-02-01", -1)).toThrow(RangeError);
    expect(() => retentionCutoff("2026-02-01", 1.5)).toThrow(RangeError);
  });
});
