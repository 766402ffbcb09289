import { expect, it } from "vitest";
import { xmllintValidate } from "../../tests/support/xmltools.js";
import { addDays } from "./oracle/index.js";
import { insurabilityResponsePayload } from "../ehealth/insurability/index.js";
import { answerQuestion } from "./insurers.js";
import { createPopulation } from "./population.js";

const TODAY = "2025-03-10";

it("the responses the simulator builds validate against the XSD, for every scenario and some generated people", () => {
  const population = createPopulation(3, TODAY, { size: 20 });
  const asked = [
    ...Object.values(population.scenarios).map((s) =>
      s.niss !== undefined
        ? { niss: s.niss }
        : { mutuality: s.mutuality ?? "", registrationNumber: s.registrationNumber ?? "" },
    ),
    ...population.people.slice(14).map((p) => ({ niss: p.niss ?? "" })),
    { niss: "75061512399" },
    { mutuality: "700", registrationNumber: "x" },
  ];
  const kinds = new Set<string>();
  for (const patient of asked) {
    for (const date of [TODAY, addDays(TODAY, -25), addDays(TODAY, 1)]) {
      const { answer } = answerQuestion(
        population,
        { patient, date, consultationDate: TODAY, reference: "99" },
        3,
      );
      kinds.add(answer.kind);
      const check = xmllintValidate(
        insurabilityResponsePayload({ ...answer, reference: "99", messageId: "urn:uuid:1" }),
        "insurabilityservices_protocol-2_0.xsd",
      );
      expect(check.ok, `${answer.kind}: ${check.output}`).toBe(true);
    }
  }
  expect([...kinds].sort()).toEqual([
    "bad-input",
    "date-in-future",
    "insured",
    "multiple-insurers",
    "no-right",
    "unknown-patient",
  ]);
});
