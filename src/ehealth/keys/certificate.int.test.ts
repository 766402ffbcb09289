// Recent Belgian eIDs carry EC (P-384) keys: the certificate reader must not depend on RSA.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeCertificate } from "./certificate.js";

describe("describeCertificate with OpenSSL's certificates", () => {
  it("reads an EC P-384 eID-shaped certificate", () => {
    const dir = mkdtempSync(join(tmpdir(), "mcn-ec-"));
    try {
      const run = spawnSync(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:P-384",
          "-nodes",
          "-keyout",
          join(dir, "key.pem"),
          "-out",
          join(dir, "cert.pem"),
          "-days",
          "30",
          "-subj",
          "/C=BE/CN=Anne Dupont (Authentication)/SN=Dupont/GN=Anne/serialNumber=78042312476",
        ],
        { encoding: "utf8" },
      );
      expect(run.status, run.stderr).toBe(0);
      const der = new X509Certificate(readFileSync(join(dir, "cert.pem"))).raw;
      expect(describeCertificate(der)).toMatchObject({
        ssin: "78042312476",
        givenName: "Anne",
        surname: "Dupont",
        subject: "serialNumber=78042312476,GN=Anne,SN=Dupont,CN=Anne Dupont (Authentication),C=BE",
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
