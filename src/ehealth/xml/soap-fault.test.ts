import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { XSD_DIR } from "../../../tests/support/xmltools.js";
import { soapEnvelope } from "./soap.js";
import { buildSoaFault, parseSoapFault, SOA } from "./soap-fault.js";

describe("SOA faults", () => {
  it("round-trips a SystemError and a BusinessError", () => {
    const system = buildSoaFault({
      kind: "system",
      code: SOA.notAuthenticated,
      message: "Consumer is not authenticated",
      id: "urn:uuid:1",
    });
    expect(parseSoapFault(system)).toEqual({
      kind: "system",
      code: "SOA-01001",
      message: "Consumer is not authenticated",
      origin: "Consumer",
      faultCode: "soap:Client",
      id: "urn:uuid:1",
    });
    const business = buildSoaFault({
      kind: "business",
      code: SOA.serviceUnavailable,
      message: "down <now> & later",
    });
    expect(parseSoapFault(business)).toMatchObject({
      kind: "business",
      code: "SOA-02001",
      message: "down <now> & later",
      origin: "Provider",
      faultCode: "soap:Server",
    });
  });

  it("reads the reference sample", () => {
    const sample = readFileSync(
      join(XSD_DIR, "../samples/soap-fault-eHealth-SystemError.synthetic.xml"),
      "utf8",
    ).replace(/^<\?xml[^>]*\?>\s*<!--[\s\S]*?-->\s*/, "");
    expect(parseSoapFault(sample)).toMatchObject({ kind: "system", code: "SOA-01001", origin: "Consumer" });
  });

  it("a fault without eHealth detail takes its code from faultstring, else SOA-00001", () => {
    const bare = (s: string) =>
      soapEnvelope({
        body: `<soap:Fault><faultcode>soap:Server</faultcode><faultstring>${s}</faultstring></soap:Fault>`,
      });
    expect(parseSoapFault(bare("SOA-02002: busy"))).toMatchObject({ kind: "system", code: "SOA-02002" });
    expect(parseSoapFault(bare("NullPointerException"))).toMatchObject({
      code: "SOA-00001",
      message: "NullPointerException",
    });
  });

  it("is undefined for anything that is not a SOAP fault", () => {
    expect(parseSoapFault("<broken")).toBeUndefined();
    expect(parseSoapFault(soapEnvelope({ body: "<x/>" }))).toBeUndefined();
  });
});
