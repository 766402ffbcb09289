// The session routes through `app.inject`, on a manager holding one open session.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { as, injectApp, type InjectApp } from "../__fixtures__/inject-app.js";

let t: InjectApp;
beforeEach(async () => {
  t = await injectApp();
});
afterEach(() => t.close());

describe("session routes", () => {
  it("lists the open session with its time left, closes it, then 404s it", async () => {
    const list = await t.app.inject({ url: "/v1/sessions", headers: as("pharmacist") });
    expect(list.statusCode).toBe(200);
    expect(list.json().sessions).toEqual([
      expect.objectContaining({
        id: "session-1",
        secondsLeft: 12 * 3600,
        user: { name: "Anne Pharmacienne", nihii: "12345678001" },
      }),
    ]);
    expect(JSON.stringify(list.json())).not.toContain("Assertion");
    const close = await t.app.inject({
      method: "DELETE",
      url: "/v1/sessions/session-1",
      headers: as("pharmacist"),
    });
    expect(close.statusCode).toBe(204);
    expect(t.w.sessions.list()).toEqual([]);
    const again = await t.app.inject({
      method: "DELETE",
      url: "/v1/sessions/session-1",
      headers: as("pharmacist"),
    });
    expect(again.json().code).toBe("SESSION_NOT_FOUND");
  });

  it("refuses a method that is not configured, and the counter altogether", async () => {
    const eid = await t.app.inject({
      method: "POST",
      url: "/v1/sessions",
      headers: as("pharmacist"),
      payload: { method: "eid" },
    });
    expect(eid.json().code).toBe("SESSION_METHOD_UNAVAILABLE");
    const counter = await t.app.inject({ url: "/v1/sessions", headers: as("dispensing") });
    expect(counter.statusCode).toBe(403);
  });

  it("checks the NIHII given at opening precisely, and opens nothing", async () => {
    const post = (payload: object) =>
      t.app.inject({ method: "POST", url: "/v1/sessions", headers: as("pharmacist"), payload });
    const codes = [];
    for (const nihii of ["2714", "62599147", "27140800002", 27140895002, "2".repeat(40)]) {
      const res = await post({ method: "personal-certificate", nihii });
      codes.push([res.statusCode, res.json().code]);
    }
    expect(codes).toEqual([
      [400, "NIHII_FORMAT"],
      [400, "NIHII_FORMAT"], // a pharmacy's 8 digits, not a person's
      [400, "NIHII_CHECKSUM"],
      [400, "REQUEST_INVALID"],
      [400, "REQUEST_INVALID"],
    ]);
    expect(t.w.sessions.list().map((s) => s.id)).toEqual(["session-1"]);
  });
});
