// ensureTestPki in private directories: generated once, reused, regenerated when the options
// change, and safe when two callers ask at the same time.
import { spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureDemoPki, ensureTestPki, readTestPki, SOFTHSM_MODULE } from "./index.js";

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

  it("reuses a PKI reached through a symlink, for the tests and the demo alike", async () => {
    const dir = join(root, "linked");
    const first = await ensureTestPki(dir);
    const link = join(root, "link-to-linked");
    symlinkSync(dir, link);
    expect((await ensureTestPki(link)).createdAt).toBe(first.createdAt);
    const demo = await ensureDemoPki(link, SOFTHSM_MODULE);
    expect(demo.pki.createdAt).toBe(first.createdAt);
    expect(demo.pki.eidRsa).toEqual(first.eidRsa);
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

describe("ensureDemoPki (issue 17: a machine without SoftHSM2)", () => {
  it("makes the PKI without an eID, then adds the eID under the same CA once SoftHSM2 is there", async () => {
    const dir = join(root, "demo");
    const absent = join(root, "no-softhsm/libsofthsm2.so");
    const without = await ensureDemoPki(dir, absent);
    expect(without.pki.eid).toBeUndefined();
    expect(without.pki.eidRsa).toBeUndefined();
    expect(without.eidFailure).toBeUndefined();
    expect(existsSync(join(dir, "tokens"))).toBe(false);
    expect(existsSync(without.pki.personal.p12Path)).toBe(true);
    // Asked again without SoftHSM: the same PKI, nothing regenerated.
    expect((await ensureDemoPki(dir, absent)).pki).toEqual(without.pki);

    const withEid = await ensureDemoPki(dir, SOFTHSM_MODULE);
    expect(withEid.pki.eid?.module).toBe(SOFTHSM_MODULE);
    expect(withEid.pki.ca.certPem).toBe(without.pki.ca.certPem);
    expect(withEid.pki.personal.certPem).toBe(without.pki.personal.certPem);
    expect(readTestPki(dir).eid).toEqual(withEid.pki.eid);
    // The eID's certificate was issued by the PKI's CA.
    const ca = new X509Certificate(without.pki.ca.certPem);
    expect(new X509Certificate(withEid.pki.eid?.certPem ?? "").checkIssued(ca)).toBe(true);
    // Both cards (issue 15): the recent EC one and the older RSA one, under the same CA.
    expect(withEid.pki.eid?.keyAlgorithm).toBe("EC");
    expect(withEid.pki.eidRsa?.keyAlgorithm).toBe("RSA");
    expect(new X509Certificate(withEid.pki.eidRsa?.certPem ?? "").checkIssued(ca)).toBe(true);
    expect(readTestPki(dir).eidRsa).toEqual(withEid.pki.eidRsa);
    // And the tests' variant finds it complete.
    expect((await ensureTestPki(dir)).eid).toEqual(withEid.pki.eid);
  });

  it("says in one line why SoftHSM2, present, made no eID", async () => {
    const dir = join(root, "broken-softhsm");
    // A file that exists but is no library: the token child fails, the PKI is made anyway.
    const notALibrary = join(root, "not-a-library.so");
    writeFileSync(notALibrary, "not an ELF file\n".repeat(20));
    const result = await ensureDemoPki(dir, notALibrary);
    expect(result.pki.eid).toBeUndefined();
    expect(result.pki.eidRsa).toBeUndefined();
    expect(result.eidFailure).toMatch(/^SoftHSM token setup \(generate\) failed: .*invalid ELF header/);
    expect(result.eidFailure).not.toContain("\n");
    expect(existsSync(result.pki.organisation.p12Path)).toBe(true);
  });
});
