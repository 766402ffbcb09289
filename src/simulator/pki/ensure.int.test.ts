// ensureTestPki in private directories: generated once, reused, regenerated when the options
// change, and safe when two callers ask at the same time.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureTestPki, readTestPki } from "./index.js";

const root = mkdtempSync(join(tmpdir(), "mcn-test-pki-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("ensureTestPki", () => {
  it("generates once, then returns the same PKI without touching the files", async () => {
    const dir = join(root, "once");
    const first = await ensureTestPki(dir);
    const caWritten = statSync(first.ca.certPath).mtimeMs;
    const second = await ensureTestPki(dir);
    expect(second).toEqual(first);
    expect(statSync(first.ca.certPath).mtimeMs).toBe(caWritten);
    expect(readTestPki(dir)).toEqual(first);

    // Other options: a new PKI in the same place.
    const renamed = await ensureTestPki(dir, {
      pharmacy: { nihii: first.pharmacy.nihii, name: "Pharmacie de la Gare" },
    });
    expect(renamed.pharmacy.name).toBe("Pharmacie de la Gare");
    expect(renamed.ca.certPem).not.toBe(first.ca.certPem);
    expect(readTestPki(dir).pharmacy.name).toBe("Pharmacie de la Gare");
  });

  it("gives two concurrent callers one and the same PKI, and takes over a stale lock", async () => {
    const dir = join(root, "concurrent");
    mkdirSync(join(dir, ".lock"), { recursive: true });
    const old = new Date(Date.now() - 5 * 60_000);
    utimesSync(join(dir, ".lock"), old, old); // left behind by a crashed run

    const [a, b] = await Promise.all([ensureTestPki(dir), ensureTestPki(dir)]);
    expect(a.ca.certPem).toBe(b.ca.certPem);
    expect(a.createdAt).toBe(b.createdAt);
    expect(readTestPki(dir).ca.certPem).toBe(a.ca.certPem);
    expect(existsSync(join(dir, ".lock"))).toBe(false);
    expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);

    // The token holds the generated key and its certificate (checked with OpenSSC's tool).
    const listed = spawnSync(
      "pkcs11-tool",
      ["--module", a.eid.module, "--token-label", a.eid.tokenLabel, "--list-objects"],
      { env: { ...process.env, SOFTHSM2_CONF: a.eid.conf }, encoding: "utf8" },
    );
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toContain("Certificate Object");
    expect(listed.stdout).toContain(`ID:         ${a.eid.keyId}`);
  });

  it("regenerates a PKI whose files have gone", async () => {
    const dir = join(root, "damaged");
    const first = await ensureTestPki(dir);
    rmSync(first.organisation.p12Path);
    const repaired = await ensureTestPki(dir);
    expect(existsSync(repaired.organisation.p12Path)).toBe(true);
    expect(repaired.ca.certPem).not.toBe(first.ca.certPem);
  });
});
