// Tokens are compared in constant time (security suite, item 4): what the daemon compares is the
// SHA-256 digest of the presented token, never the token itself, and a match is confirmed with
// crypto.timingSafeEqual. How long a guess takes then depends on its digest, not on how many of
// its leading characters are right. Checked by watching node:crypto, not by timing.
import type * as Crypto from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";

const calls = vi.hoisted(() => ({ hashed: [] as string[], compared: [] as Array<[number, number]> }));

vi.mock("node:crypto", async (importOriginal) => {
  const real = await importOriginal<typeof Crypto>();
  return {
    ...real,
    createHash: (algorithm: string) => {
      const hash = real.createHash(algorithm);
      const update = hash.update.bind(hash);
      hash.update = ((data: string) => {
        calls.hashed.push(`${algorithm}:${data}`);
        return update(data);
      }) as typeof hash.update;
      return hash;
    },
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      calls.compared.push([a.byteLength, b.byteLength]);
      return real.timingSafeEqual(a, b);
    },
  };
});

const { Principals } = await import("./principals.js");

const TOKEN = "s3cret-token-for-the-counter-0001";
const principals = new Principals([{ token: TOKEN, principal: { name: "counter-1", role: "dispensing" } }]);

beforeEach(() => {
  calls.hashed.length = 0;
  calls.compared.length = 0;
});

describe("token comparison", () => {
  it("a right token: its SHA-256 digest is compared with timingSafeEqual, 32 bytes each", () => {
    expect(principals.authenticate(`Bearer ${TOKEN}`).ok).toBe(true);
    expect(calls.hashed).toEqual([`sha256:${TOKEN}`]);
    expect(calls.compared).toEqual([[32, 32]]);
  });

  it.each([
    ["all but the last character right", `${TOKEN.slice(0, -1)}x`],
    ["the first character right", `${TOKEN[0]}${"x".repeat(TOKEN.length - 1)}`],
    ["a prefix of it", TOKEN.slice(0, 20)],
    ["longer than it", `${TOKEN}0`],
  ])("a wrong guess (%s): hashed whole before anything is compared, refused", (_label, guess) => {
    expect(principals.authenticate(`Bearer ${guess}`)).toEqual({ ok: false, code: "AUTH_INVALID" });
    expect(calls.hashed).toEqual([`sha256:${guess}`]);
    // Nothing of the guess itself meets the stored token: at most its digest does.
    for (const [a, b] of calls.compared) expect([a, b]).toEqual([32, 32]);
  });
});
