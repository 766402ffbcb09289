import { describe, expect, it } from "vitest";
import { answerQuestion, insurerOf, route } from "./insurers.js";
import type { InsurabilityQuestion } from "./insurers.js";
import { addDays, compareDays } from "./oracle/index.js";
import { createPopulation } from "./population.js";

const TODAY = "2025-03-10";
const SEED = 7;
const population = createPopulation(SEED, TODAY, { size: 300 });
const ask = (patient: InsurabilityQuestion["patient"], date = TODAY, reference = "1") =>
  answerQuestion(population, { patient, date, consultationDate: TODAY, reference }, SEED);

describe("routing", () => {
  it("sends each mutuality to its national union, 750 and 999 through 600", () => {
    expect(insurerOf("121")).toBe(100);
    expect(insurerOf("675")).toBe(600);
    expect(insurerOf("750")).toBe(600);
    expect(insurerOf("999")).toBe(600);
    expect(insurerOf("910")).toBe(900);
    expect(insurerOf("700")).toBeUndefined();
  });

  it("routes a transfer to the insurer of the date asked", () => {
    const niss = population.scenarios.transfer.niss ?? "";
    const q = (date: string): InsurabilityQuestion => ({
      patient: { niss },
      date,
      consultationDate: TODAY,
      reference: "1",
    });
    expect(route(population, q(TODAY))).toMatchObject({ to: "insurer", union: 300 });
    expect(route(population, q(addDays(TODAY, -15)))).toMatchObject({ to: "insurer", union: 200 });
  });

  it("answers bad input at the platform, with the field in Detail", () => {
    const detail = (patient: InsurabilityQuestion["patient"], date = TODAY) =>
      ask(patient, date).answer.returnCode.detail;
    expect(detail({ niss: "75061512399" })).toBe("10012");
    expect(detail({ niss: "7506151237" })).toBe("10011");
    expect(detail({ niss: "75.06.15-123.74" })).toBe("10011");
    expect(detail({ niss: "85133000105" })).toBe("10013");
    expect(detail({ mutuality: "700", registrationNumber: "1" })).toBe("20011");
    expect(detail({ mutuality: "132", registrationNumber: "x".repeat(14) })).toBe("30011");
    expect(detail({ mutuality: "132" })).toBe("00010");
    expect(detail({})).toBe("00010");
    expect(detail({ niss: population.scenarios.ordinary.niss ?? "" }, "2025-02-30")).toBe("40011");
    expect(ask({}).union).toBeUndefined();
  });

  it("unknown by NISS or by registration number: unknown-patient", () => {
    expect(ask({ niss: population.scenarios.unknown.niss ?? "" }).answer.kind).toBe("unknown-patient");
    expect(ask({ mutuality: "132", registrationNumber: "0001 13 NB7Y" }).answer.kind).toBe("unknown-patient");
  });
});

describe("insurer answers", () => {
  // Brochure §5.2 stated as properties: start = the date asked, end within start + 30 days, the
  // CT codes of the period holding the date; no period at the date, no right.
  it("every generated person gets the coverage of brochure §5.2, at several dates", () => {
    let insured = 0;
    for (const person of population.people.slice(14)) {
      for (const date of [TODAY, addDays(TODAY, -20), addDays(TODAY, -200)]) {
        const { answer } = ask({ niss: person.niss ?? "" }, date);
        const holding = person.periods.filter(
          (p) => compareDays(p.begin, date) <= 0 && (p.end === null || compareDays(date, p.end) <= 0),
        );
        const inForce = holding.sort((a, b) => compareDays(b.begin, a.begin))[0];
        if (inForce === undefined) {
          expect(answer.kind).toBe("no-right");
          continue;
        }
        insured++;
        expect(answer.kind).toBe("insured");
        const coverage = answer.coverage!;
        expect(coverage).toMatchObject({ start: date, ct1: inForce.ct1, ct2: inForce.ct2 });
        expect(compareDays(coverage.end, date)).toBeGreaterThanOrEqual(0);
        expect(compareDays(coverage.end, addDays(date, 30))).toBeLessThanOrEqual(0);
        if (inForce.end !== null && compareDays(inForce.end, addDays(date, 30)) < 0) {
          // Only a following period with the same status may carry it past the period's end.
          const continues = person.periods.some(
            (p) => p.begin === addDays(inForce.end!, 1) && p.ct1 === inForce.ct1 && p.ct2 === inForce.ct2,
          );
          if (!continues) expect(coverage.end).toBe(inForce.end);
        } else {
          expect(coverage.end).toBe(addDays(date, 30));
        }
        expect(coverage.thirdPartyPayerRegime).toBe(inForce.ct1[2] === "1" ? "elevated" : "standard");
      }
    }
    expect(insured).toBeGreaterThan(500);
  });

  it("gives a new payment approval for another consultation of the same patient and date", () => {
    const niss = population.scenarios.ordinary.niss ?? "";
    const a = ask({ niss }, TODAY, "1").answer.verification?.paymentApproval;
    expect(ask({ niss }, TODAY, "1").answer.verification?.paymentApproval).toBe(a);
    expect(ask({ niss }, TODAY, "2").answer.verification?.paymentApproval).not.toBe(a);
    expect(ask({ niss }, addDays(TODAY, -1), "1").answer.verification?.paymentApproval).not.toBe(a);
  });
});
