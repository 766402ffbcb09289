// Test sessions for the simulated insurability service: an STS assertion signed with the test
// PKI's STS key (what src/simulator/sts issues, minted here until tests go through it) and a
// consultation signed by the pharmacy's organisation key (signWithSamlKeyId).
import { createPrivateKey, randomUUID } from "node:crypto";
import { loadPkcs12 } from "../../ehealth/keys/pkcs12.js";
import { MemorySigner } from "../../ehealth/keys/memory.js";
import type { Signer } from "../../ehealth/keys/signer.js";
import { PHARMACY_ATTRIBUTE } from "../../ehealth/sts/pharmacy-profile.js";
import { signEnveloped } from "../../ehealth/wssec/enveloped.js";
import { signWithSamlKeyId } from "../../ehealth/wssec/saml-key-id.js";
import { NS } from "../../ehealth/xml/namespaces.js";
import { buildInsurabilityRequest } from "../../ehealth/insurability/index.js";
import type { InsurabilityRequestInput, PatientIdentification } from "../../ehealth/insurability/index.js";
import type { TestPki } from "../pki/index.js";
import { certificateDerOf } from "../sts-mount.js";
import { SIMULATOR_LICENCE } from "../server.js";

export function organisationSigner(pki: TestPki): MemorySigner {
  return loadPkcs12(pki.organisation.p12Path, pki.organisation.password);
}

export function stsSigner(pki: TestPki): Signer {
  return new MemorySigner(createPrivateKey(pki.sts.keyPem), certificateDerOf(pki.sts.certPem));
}

export async function testAssertion(
  pki: TestPki,
  opts: {
    now: Date;
    lifetimeSeconds?: number;
    pharmacyNihii?: string;
    recognisedPharmacy?: boolean;
    /** Signs with this instead of the STS key (a wrong key). */
    signer?: Signer;
    holderCertificateDer?: Buffer;
  },
): Promise<string> {
  const issued = opts.now.toISOString();
  const until = new Date(opts.now.getTime() + (opts.lifetimeSeconds ?? 3600) * 1000).toISOString();
  const hok = (opts.holderCertificateDer ?? certificateDerOf(pki.organisation.certPem)).toString("base64");
  const subject =
    `<saml:Subject><saml:NameIdentifier Format="urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName">CN=test</saml:NameIdentifier>` +
    `<saml:SubjectConfirmation><saml:ConfirmationMethod>urn:oasis:names:tc:SAML:1.0:cm:holder-of-key</saml:ConfirmationMethod>` +
    `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${hok}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>` +
    `</saml:SubjectConfirmation></saml:Subject>`;
  const attribute = (name: string, value: string): string =>
    `<saml:Attribute AttributeName="${name}" AttributeNamespace="urn:be:fgov:certified-namespace:ehealth">` +
    `<saml:AttributeValue>${value}</saml:AttributeValue></saml:Attribute>`;
  const assertion =
    `<saml:Assertion xmlns:saml="${NS.saml}" xmlns:ds="${NS.ds}" MajorVersion="1" MinorVersion="1" ` +
    `AssertionID="_${randomUUID().replace(/-/g, "")}" Issuer="urn:be:fgov:ehealth:sts:1_0" IssueInstant="${issued}">` +
    `<saml:Conditions NotBefore="${issued}" NotOnOrAfter="${until}"/>` +
    `<saml:AuthenticationStatement AuthenticationMethod="urn:oasis:names:tc:SAML:1.0:am:X509-PKI" AuthenticationInstant="${issued}">` +
    `${subject}</saml:AuthenticationStatement>` +
    `<saml:AttributeStatement>${subject}` +
    attribute(PHARMACY_ATTRIBUTE.pharmacyNihii, opts.pharmacyNihii ?? pki.pharmacy.nihii) +
    attribute(PHARMACY_ATTRIBUTE.recognisedPharmacy, String(opts.recognisedPharmacy ?? true)) +
    attribute(PHARMACY_ATTRIBUTE.pharmacyHolder, "true") +
    `</saml:AttributeStatement></saml:Assertion>`;
  return signEnveloped(assertion, opts.signer ?? stsSigner(pki), {
    idAttribute: "AssertionID",
    position: "last",
    includeCertificate: true,
  });
}

let reference = 0;

/** A request for the test pharmacy with the simulator's licence; fields may be overridden. */
export function requestInput(
  pki: TestPki,
  patient: PatientIdentification,
  date: string,
  overrides: Partial<InsurabilityRequestInput> = {},
): InsurabilityRequestInput {
  reference += 1;
  return {
    reference: String(20_000_000 + reference),
    userReference: `ticket-${reference}`,
    date,
    patient,
    holder: { nihii: pki.holder.nihii, ssin: pki.holder.ssin, name: pki.holder.name },
    pharmacy: { nihii: pki.pharmacy.nihii, name: pki.pharmacy.name },
    package: {
      name: "mcn-rights",
      licenseUser: SIMULATOR_LICENCE.username,
      licensePassword: SIMULATOR_LICENCE.password,
    },
    isTest: true,
    ...overrides,
  };
}

export async function signedRequest(
  pki: TestPki,
  input: InsurabilityRequestInput,
  opts: { now: Date; assertion?: string; signer?: Signer },
): Promise<string> {
  const assertion = opts.assertion ?? (await testAssertion(pki, { now: opts.now }));
  return signWithSamlKeyId(
    buildInsurabilityRequest(input),
    assertion,
    opts.signer ?? organisationSigner(pki),
    {
      now: opts.now,
    },
  );
}
