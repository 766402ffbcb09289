// The User-Agent is eHealth's expected `name/version` form, and follows the package's version.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { USER_AGENT } from "./post.js";

describe("the User-Agent of every outgoing request", () => {
  it("is name/version with letters and digits in the name, at the package's version", () => {
    expect(USER_AGENT).toMatch(/^[A-Za-z0-9]+\/[0-9]+(\.[0-9]+)*$/);
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(USER_AGENT.split("/")[1]).toBe(pkg.version);
  });
});
