import { describe, expect, it } from "vitest";
import { buildSoaFault, SOA } from "../ehealth/insurability/index.js";
import { judge } from "./reachability.js";

const fault = (code: string) => ({
  status: 500,
  body: buildSoaFault({ kind: "system", code, message: "m" }),
});

describe("judge (the reachability probe's answer)", () => {
  it("takes a fault about the empty message itself as the platform being there", () => {
    expect(judge(fault(SOA.notSoap))).toEqual({ reachable: true });
    expect(judge(fault(SOA.notAuthenticated))).toEqual({ reachable: true });
  });

  it("takes a 'service unavailable' SystemError as an outage", () => {
    expect(judge(fault(SOA.serviceUnavailable))).toEqual({ reachable: false, kind: "system-error" });
    expect(judge(fault(SOA.temporarilyUnavailable))).toEqual({ reachable: false, kind: "system-error" });
  });

  it("takes an HTML error page or a truncated answer as an outage", () => {
    expect(judge({ status: 503, body: "<html><body>Service Unavailable</body></html>" })).toEqual({
      reachable: false,
      kind: "http-status",
    });
    expect(judge({ status: 200, body: "<soap:Envelope xmlns:soap" })).toEqual({
      reachable: false,
      kind: "malformed",
    });
  });
});
