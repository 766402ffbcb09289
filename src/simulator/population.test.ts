import { describe, expect, it } from "vitest";
import { checkNiss, compareDays, isRegistrationNumber, unionOfMutuality } from "./oracle/index.js";
import { createPopulation, DEFAULT_POPULATION_SIZE } from "./population.js";

const TODAY = "2025-03-10";
// A BIS number has month + 20 (sex unknown) or + 40 (sex known; the sequence's parity is the sex).
const bisOf = (niss: string) => {
  const month = Number(niss.slice(2, 4));
  const sequence = Number(niss.slice(6, 9));
  if (month < 20) return { kind: "national", sex: sequence % 2 === 1 ? "male" : "female" };
  return { kind: "bis", sex: month < 40 ? null : sequence % 2 === 1 ? "male" : "female" };
};
const nissList = (seed: number) => createPopulation(seed, TODAY).people.map((p) => p.niss);

describe("createPopulation", () => {
  it("is deterministic: same seed, same people; another seed, other people", () => {
    expect(nissList(7)).toEqual(nissList(7));
    expect(createPopulation(7, TODAY).people).toEqual(createPopulation(7, TODAY).people);
    const a = nissList(7);
    const b = nissList(8);
    expect(a).not.toEqual(b);
    // The scenario patients are the same for every seed; the generated ones differ.
    const generatedOverlap = a.slice(13).filter((n) => b.includes(n)).length;
    expect(generatedOverlap).toBeLessThan(20);
  });

  it("holds the scenarios plus N generated people (default 1000), each NISS once", () => {
    const population = createPopulation(1, TODAY);
    const scenarioPeople = Object.values(population.scenarios).filter((s) => s.person !== undefined).length;
    expect(population.people.length).toBe(scenarioPeople + DEFAULT_POPULATION_SIZE);
    expect(createPopulation(1, TODAY, { size: 10 }).people.length).toBe(scenarioPeople + 10);
    const niss = population.people.flatMap((p) => (p.niss === undefined ? [] : [p.niss]));
    expect(new Set(niss).size).toBe(niss.length);
  });

  it("gives everyone valid identifiers and coherent periods", () => {
    for (const person of createPopulation(3, TODAY).people) {
      if (person.niss !== undefined) {
        expect(checkNiss(person.niss), person.niss).toBe("ok");
        const { sex } = bisOf(person.niss);
        if (person.sex !== undefined && sex !== null) expect(sex).toBe(person.sex);
      }
      expect([...person.firstName].length).toBeLessThanOrEqual(24);
      expect(person.periods.length).toBeGreaterThan(0);
      for (const p of person.periods) {
        expect(unionOfMutuality(p.mutuality), p.mutuality).toBeDefined();
        expect(isRegistrationNumber(p.registrationNumber), p.registrationNumber).toBe(true);
        expect(p.ct1).toMatch(/^[0-9]{3}$/);
        expect(p.ct2).toMatch(/^[0-9]{3}$/);
        if (p.end !== null) expect(compareDays(p.begin, p.end)).toBeLessThanOrEqual(0);
      }
    }
  });

  it("spreads the generated people over every mutuality family of SPEC §1.1", () => {
    const codes = createPopulation(5, TODAY)
      .people.slice(13)
      .flatMap((p) => p.periods.map((q) => q.mutuality));
    const families = new Set(codes.map((c) => (c === "750" || c === "999" ? c : `${c[0]}xx`)));
    expect([...families].sort()).toEqual(["1xx", "2xx", "3xx", "4xx", "5xx", "6xx", "750", "999", "9xx"]);
  });

  it("finds people by NISS and by mutuality + exact registration number", () => {
    const population = createPopulation(1, TODAY);
    const { ordinary, byRegistrationNumber, unknown } = population.scenarios;
    expect(population.byNiss(ordinary.niss ?? "")).toBe(ordinary.person);
    expect(population.byNiss(unknown.niss ?? "")).toBeUndefined();
    expect(population.byRegistration("132", "0001 13 NB7X")).toBe(byRegistrationNumber.person);
    expect(population.byRegistration("132", "000113NB7X")).toBeUndefined();
    expect(population.byRegistration("131", "0001 13 NB7X")).toBeUndefined();
  });

  it("has BIS scenarios of both kinds and a newborn without NISS", () => {
    const { scenarios } = createPopulation(1, TODAY);
    expect(checkNiss(scenarios.bis.niss ?? "")).toBe("ok");
    expect(checkNiss(scenarios.bisSexUnknown.niss ?? "")).toBe("ok");
    expect(bisOf(scenarios.bis.niss ?? "")).toEqual({ kind: "bis", sex: "male" });
    expect(bisOf(scenarios.bisSexUnknown.niss ?? "")).toEqual({ kind: "bis", sex: null });
    expect(scenarios.byRegistrationNumber.person?.niss).toBeUndefined();
    expect(scenarios.byRegistrationNumber.registrationNumber).toMatch(/ /);
  });

  it("keeps the scenarios current: their periods move with today", () => {
    const a = createPopulation(1, "2025-03-10").scenarios.endOfRights.person?.periods[0]?.end;
    const b = createPopulation(1, "2026-01-01").scenarios.endOfRights.person?.periods[0]?.end;
    expect(a).toBe("2025-03-14");
    expect(b).toBe("2026-01-05");
  });

  it("works for a today in the past (the annex's 2011 examples): nobody born after it", () => {
    for (const person of createPopulation(9, "2011-11-12").people) {
      if (person.birthDate !== undefined && person.niss !== undefined) {
        expect(compareDays(person.birthDate, "2011-11-12")).toBeLessThan(0);
      }
    }
  });
});
