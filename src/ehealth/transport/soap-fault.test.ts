import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SAMPLES_DIR } from "../../../tests/support/xmltools.js";
import { NS } from "../xml/namespaces.js";
import { parseXml } from "../xml/parse.js";
import { soapEnvelope } from "./envelope.js";
import { soapFaultOf } from "./soap-fault.js";

describe("soapFaultOf", () => {
  it("reads the reference eHealth SystemError sample", () => {
    const sample = readFileSync(join(SAMPLES_DIR, "soap-fault-eHealth-SystemError.synthetic.xml"), "utf8");
    expect(soapFaultOf(parseXml(sample))).toEqual({
      faultCode: "soapenv:Client",
      faultString: "SOA-01001: Consumer is not authenticated",
      ehealth: { kind: "SystemError", code: "SOA-01001", origin: "Consumer" },
    });
  });

  it("reads a BusinessError, a bare fault, and no fault", () => {
    const business = soapEnvelope(
      `<soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>x</faultstring><detail>` +
        `<soa:BusinessError xmlns:soa="${NS.soa}"><Code>SOA-03006</Code></soa:BusinessError></detail></soapenv:Fault>`,
    );
    expect(soapFaultOf(parseXml(business))?.ehealth).toEqual({ kind: "BusinessError", code: "SOA-03006" });
    const bare = soapEnvelope(`<soapenv:Fault><faultcode>soapenv:Server</faultcode></soapenv:Fault>`);
    expect(soapFaultOf(parseXml(bare))).toEqual({ faultCode: "soapenv:Server", faultString: "" });
    expect(soapFaultOf(parseXml(soapEnvelope("<ok/>")))).toBeUndefined();
  });
});
