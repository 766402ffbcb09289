import { describe, expect, it } from "vitest";
import { judge } from "./reachability.js";

describe("judge (the reachability probe's HTTP answer, no SOAP involved)", () => {
  it("takes any answer below 500 as the door being open", () => {
    for (const status of [200, 204, 404, 405])
      expect(judge({ status }), String(status)).toEqual({ reachable: true });
  });

  it("takes a 5xx (maintenance page, no backend) as an outage", () => {
    for (const status of [500, 502, 503])
      expect(judge({ status }), String(status)).toEqual({ reachable: false, kind: "http-status" });
  });
});
