import { describe, expect, it } from "vitest";
import * as fallback from "./index.js";

describe("fallback public API", () => {
  it("exports exactly the room's functions and data", () => {
    expect(Object.keys(fallback).sort()).toEqual([
      "ROOT",
      "checkAnswers",
      "evaluate",
      "isPharmacistQuestion",
      "leaves",
      "nodeIds",
      "nodes",
      "outcomeText",
      "outcomeTexts",
      "pharmacistNodes",
      "questionNode",
      "questionNodes",
      "questionText",
      "questionTexts",
      "questionsOnPath",
    ]);
    expect(fallback.evaluate({ networkAvailable: true }).outcome).toBe("online");
  });
});
