import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { testPki } from "../../../tests/support/pki.js";
import { certificateExpiries, expiringSoon, pemCertificates } from "./expiry.js";

const pki = testPki();
const der = (pem: string) => Buffer.from(new X509Certificate(pem).raw);
const notAfter = new Date(new X509Certificate(pki.organisation.certPem).validTo);
const daysBefore = (days: number) => new Date(notAfter.getTime() - days * 86_400_000);

describe("certificate expiry warnings", () => {
  const certs = [
    { role: "organisation" as const, der: der(pki.organisation.certPem) },
    { role: "sts" as const, der: der(pki.sts.certPem) },
  ];

  it("warns 30 days ahead and names the certificate", () => {
    expect(expiringSoon(certificateExpiries(certs, daysBefore(31)))).toEqual([]);
    const soon = expiringSoon(certificateExpiries(certs, daysBefore(29.5)));
    expect(soon.map((e) => [e.certificate, e.daysLeft, e.expired])).toEqual([
      ["organisation", 29, false],
      ["sts", 29, false],
    ]);
  });

  it("says expired once past notAfter", () => {
    const [organisation] = certificateExpiries(certs, daysBefore(-1));
    expect(organisation).toMatchObject({ certificate: "organisation", expired: true, daysLeft: -1 });
  });

  it("reads every certificate of a PEM bundle", () => {
    expect(
      pemCertificates(pki.ca.certPem + pki.sts.certPem).map((d) => new X509Certificate(d).subject),
    ).toEqual([new X509Certificate(pki.ca.certPem).subject, new X509Certificate(pki.sts.certPem).subject]);
  });
});
