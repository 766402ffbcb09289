import { expect, it } from "vitest";
import { xmllintValidate } from "../../../tests/support/xmltools.js";
import { buildSoaFault } from "./soap-fault.js";

it("the fault detail validates against ehealth-errors-schema-soa-1_1.xsd", () => {
  for (const kind of ["system", "business"] as const) {
    const fault = buildSoaFault({ kind, code: "SOA-03006", message: "not XSD-conformant" });
    const detail = /<detail>([\s\S]*)<\/detail>/.exec(fault)?.[1] ?? "";
    const check = xmllintValidate(detail, "ehealth-errors-schema-soa-1_1.xsd");
    expect(check.ok, check.output).toBe(true);
  }
});
