// src/ehealth/wssec: signing a consultation with the SAML holder-of-key profile (security header,
// c14n of Body and Timestamp, digests, RSA-2048 signature; ~1.1 ms cited, of which ~0.7 ms RSA),
// and the RSA-2048 signature alone over a SignedInfo-sized input.
import { generateKeyPairSync, sign } from "node:crypto";
export const name = "signature";
export async function cases(load) {
  const { signWithSamlKeyId } = await load("ehealth/wssec/saml-key-id.js");
  const { MemorySigner } = await load("ehealth/keys/memory.js");
  const { buildInsurabilityRequest } = await load("ehealth/insurability/request.js");
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const signer = new MemorySigner(privateKey, Buffer.alloc(0));
  const envelope = buildInsurabilityRequest({
    reference: "12345678901234",
    date: "2026-12-03",
    patient: { niss: "85073003328" },
    holder: { nihii: "21000013001", ssin: "85073003328", name: "Pharmacist" },
    pharmacy: { nihii: "21000013001", name: "Pharmacy" },
    package: { name: "mcn-rights", licenseUser: "user", licensePassword: "password" },
    isTest: true,
  });
  // Spliced in verbatim, never parsed: only its start tag is read.
  const assertion = `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:1.0:assertion" AssertionID="_a1b2c3" MajorVersion="1" MinorVersion="1">${"<saml:AttributeStatement/>".repeat(40)}</saml:Assertion>`;
  const signedInfo = Buffer.alloc(1100, "<ds:SignedInfo>");
  const now = new Date();
  return [
    {
      name: "signWithSamlKeyId (whole request)",
      fn: () => signWithSamlKeyId(envelope, assertion, signer, { now }),
    },
    { name: "RSA-2048 signature alone", fn: () => sign("sha256", signedInfo, privateKey) },
  ];
}
