import { beforeAll, describe, expect, it } from "vitest";
import {
  certificateToDer,
  issueCertificate,
  newRsaKeyPair,
  OID,
  type KeyPair,
  type NameEntry,
} from "../../simulator/pki/issue.js";
import { describeCertificate, formatRfc2253 } from "./certificate.js";

let keys: KeyPair;
beforeAll(async () => {
  keys = await newRsaKeyPair(1024);
});

const NOT_BEFORE = new Date("2024-01-01T00:00:00Z");
const NOT_AFTER = new Date("2034-01-01T00:00:00Z");

function certificate(subject: NameEntry[]): Buffer {
  return certificateToDer(
    issueCertificate({
      subject,
      publicKey: keys.publicKey,
      profile: "client-authentication",
      selfSigningKey: keys,
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
    }),
  );
}

const entry = (type: keyof typeof OID, value: string): NameEntry => ({ type: OID[type], value });

describe("describeCertificate", () => {
  it("reads the SSIN, names and validity of an eID authentication certificate", () => {
    const der = certificate([
      entry("country", "BE"),
      entry("commonName", "Anne Dupont (Authentication)"),
      entry("surname", "Dupont"),
      entry("givenName", "Anne"),
      entry("serialNumber", "78042312476"),
    ]);
    const described = describeCertificate(der);
    expect(described).toMatchObject({
      subject: "serialNumber=78042312476,GN=Anne,SN=Dupont,CN=Anne Dupont (Authentication),C=BE",
      ssin: "78042312476",
      givenName: "Anne",
      surname: "Dupont",
      commonName: "Anne Dupont (Authentication)",
      notBefore: NOT_BEFORE,
      notAfter: NOT_AFTER,
    });
    expect(described.issuer).toBe(described.subject);
    expect(described.serialNumber).toMatch(/^[0-9A-F]+$/);
    expect(described.nihiiPharmacy).toBeUndefined();
  });

  it("reads the NIHII of an eHealth organisation certificate and the SSIN of a personal one", () => {
    const ehealth = (unit: string, id: string) => [
      entry("country", "BE"),
      entry("organisation", "Federal Government"),
      entry("organisationalUnit", "eHealth-platform Belgium"),
      entry("organisationalUnit", unit),
      entry("organisationalUnit", id),
      entry("commonName", id),
    ];
    const organisation = describeCertificate(
      certificate(ehealth("Pharmacie du Parc", "NIHII-PHARMACY=61342503")),
    );
    expect(organisation.nihiiPharmacy).toBe("61342503");
    expect(organisation.ssin).toBeUndefined();
    expect(organisation.subject).toBe(
      "CN=NIHII-PHARMACY=61342503,OU=NIHII-PHARMACY=61342503,OU=Pharmacie du Parc," +
        "OU=eHealth-platform Belgium,O=Federal Government,C=BE",
    );
    const personal = describeCertificate(certificate(ehealth("Anne Dupont", "SSIN=78042312476")));
    expect(personal.ssin).toBe("78042312476");
    expect(personal.nihiiPharmacy).toBeUndefined();
  });

  it("does not take a serialNumber that is not 11 digits for an SSIN", () => {
    const described = describeCertificate(
      certificate([entry("serialNumber", "A123"), entry("commonName", "device")]),
    );
    expect(described.ssin).toBeUndefined();
  });

  it("decodes UTF-8 names", () => {
    const described = describeCertificate(
      certificate([entry("givenName", "Hélène"), entry("surname", "Müller-Ødegård")]),
    );
    expect(described.givenName).toBe("Hélène");
    expect(described.surname).toBe("Müller-Ødegård");
  });

  it("refuses bytes that are not a certificate", () => {
    expect(() => describeCertificate(Buffer.from("not a certificate"))).toThrow();
  });
});

describe("formatRfc2253", () => {
  it("reverses the sequence and escapes the special characters of RFC 2253 §2.4", () => {
    const name = [
      { type: "C", oid: OID.country, value: "BE" },
      { type: "O", oid: OID.organisation, value: 'Dupont, Martin + Co <"pharma">;' },
      { type: "OU", oid: OID.organisationalUnit, value: "#1 \\ back" },
      { type: "CN", oid: OID.commonName, value: " padded " },
    ];
    expect(formatRfc2253(name)).toBe(
      'CN=\\ padded\\ ,OU=\\#1 \\\\ back,O=Dupont\\, Martin \\+ Co \\<\\"pharma\\"\\>\\;,C=BE',
    );
  });
});
