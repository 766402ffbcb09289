import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, maskNissLike } from "./log.js";

describe("log privacy", () => {
  it("masks NISS-like numbers in any form, keeps other numbers", () => {
    expect(maskNissLike("patient 85073003328 and 85.07.30-033.28 or 85 07 30 033 28")).toBe(
      "patient [NISS] and [NISS] or [NISS]",
    );
    expect(maskNissLike("reference 20240115103000 took 1234 ms")).toBe(
      "reference 20240115103000 took 1234 ms",
    );
  });

  it("censors sensitive keys and NISS in messages and nested values", () => {
    const out: string[] = [];
    const logger = createLogger({
      destination: new Writable({
        write(c, _e, cb) {
          out.push(String(c));
          cb();
        },
      }),
    });
    logger.info(
      { pin: "1234", patient: { niss: "85073003328", note: "called for 85073003328" } },
      "about 85073003328",
    );
    logger.warn({ err: new Error("bad NISS 85073003328") }, "failed");
    const text = out.join("");
    expect(text).not.toContain("85073003328");
    expect(text).not.toContain('"1234"');
    expect(text).toContain("[redacted]");
    expect(text).toContain("[NISS]");
  });

  it("censors sensitive keys at any depth, an error's own properties included", () => {
    const out: string[] = [];
    const logger = createLogger({
      destination: new Writable({
        write(c, _e, cb) {
          out.push(String(c));
          cb();
        },
      }),
    });
    logger.info(
      {
        req: { headers: { authorization: "Bearer secret-token" } },
        a: { b: { c: { password: "hunter2" } } },
      },
      "request",
    );
    const err = Object.assign(new Error("failed"), { detail: { niss: "85073003328", pin: "9876" } });
    logger.error({ err, status: 500 }, "unexpected");
    const lines = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    const text = out.join("");
    for (const secret of ["secret-token", "hunter2", "85073003328", "9876"])
      expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ req: { headers: { authorization: "[redacted]" } } });
    expect(lines[1]).toMatchObject({
      err: { message: "failed", detail: { pin: "[redacted]" } },
      status: 500,
    });
  });

  it("writes nothing it could not walk: values nested deeper than the scrub goes", () => {
    const out: string[] = [];
    const logger = createLogger({
      destination: new Writable({
        write(c, _e, cb) {
          out.push(String(c));
          cb();
        },
      }),
    });
    const deep = {
      a: { b: { c: { d: { e: { f: { g: { h: { niss: "85073003328", note: "85073003328" } } } } } } } },
    };
    logger.info(deep, "deep");
    expect(out.join("")).not.toContain("85073003328");
    expect(out.join("")).toContain("[too deep]");
  });
});
