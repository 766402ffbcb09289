// The legacy SAML 1.1 STS request (mycarenet-protocol §3.2): build the samlp:Request, then sign
// it twice — the proof of possession, an enveloped signature by the holder-of-key (organisation)
// key, and the WS-Security X.509 signature by the identification key (eID or personal
// certificate) over the SOAP message that carries it.
import { randomUUID } from "node:crypto";
import { describeCertificate } from "../keys/certificate.js";
import type { Signer } from "../keys/signer.js";
import { soapEnvelope } from "../xml/soap.js";
import { signEnveloped } from "../wssec/enveloped.js";
import { signWithBinaryToken } from "../wssec/binary-token.js";
import { escapeXml as x } from "../xml/escape.js";
import { NS } from "../xml/namespaces.js";
import { PHARMACY_DESIGNATORS } from "./pharmacy-profile.js";
import { askedUntil, assertedAttributes, type SessionTerms } from "./session-terms.js";

export const STS_SOAP_ACTION = "urn:be:fgov:ehealth:sts:protocol:v1:RequestSecureToken";
const X509_SUBJECT_NAME = "urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName";
const HOLDER_OF_KEY = "urn:oasis:names:tc:SAML:1.0:cm:holder-of-key";

export interface StsRequestInput extends SessionTerms {
  readonly identificationCertDer: Buffer;
  /** Defaults to `request-<uuid>`. */
  readonly requestId?: string;
}

/** The unsigned samlp:Request (the SOAP Body payload). */
export function buildStsRequest(input: StsRequestInput): string {
  const uuid = randomUUID();
  const requestId = input.requestId ?? `request-${uuid}`;
  const identification = describeCertificate(input.identificationCertDer);
  const instant = input.now.toISOString();
  const until = askedUntil(input).toISOString();
  const nameIdentifier =
    `<saml:NameIdentifier Format="${X509_SUBJECT_NAME}" NameQualifier="${x(identification.issuer)}">` +
    `${x(identification.subject)}</saml:NameIdentifier>`;
  const attributes = assertedAttributes(input)
    .map(
      (a) =>
        `<saml:Attribute AttributeName="${x(a.name)}" AttributeNamespace="${x(a.namespace)}">` +
        `<saml:AttributeValue>${x(a.value)}</saml:AttributeValue></saml:Attribute>`,
    )
    .join("");
  const designators = PHARMACY_DESIGNATORS.map(
    (d) => `<saml:AttributeDesignator AttributeName="${x(d.name)}" AttributeNamespace="${x(d.namespace)}"/>`,
  ).join("");
  return (
    `<samlp:Request xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" xmlns:ds="${NS.ds}" ` +
    `IssueInstant="${instant}" MajorVersion="1" MinorVersion="1" RequestID="${x(requestId)}">` +
    `<samlp:AttributeQuery><saml:Subject>${nameIdentifier}<saml:SubjectConfirmation>` +
    `<saml:ConfirmationMethod>${HOLDER_OF_KEY}</saml:ConfirmationMethod><saml:SubjectConfirmationData>` +
    `<saml:Assertion AssertionID="assertion-${uuid}" IssueInstant="${instant}" Issuer="${x(identification.subject)}" ` +
    `MajorVersion="1" MinorVersion="1"><saml:Conditions NotBefore="${instant}" NotOnOrAfter="${until}"/>` +
    `<saml:AttributeStatement><saml:Subject>${nameIdentifier}</saml:Subject>${attributes}</saml:AttributeStatement>` +
    `</saml:Assertion></saml:SubjectConfirmationData><ds:KeyInfo><ds:X509Data><ds:X509Certificate>` +
    `${input.holderOfKeyCertDer.toString("base64")}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>` +
    `</saml:SubjectConfirmation></saml:Subject>${designators}</samlp:AttributeQuery></samlp:Request>`
  );
}

/**
 * Proof of possession by the holder-of-key signer (always, even when it is also the
 * identification key: harmless, and one path to test), then the SOAP envelope signed by the
 * identification signer. Returns the message to POST.
 */
export async function signStsRequest(
  requestXml: string,
  signers: { readonly identification: Signer; readonly holderOfKey: Signer },
  opts: { readonly now: Date },
): Promise<string> {
  // samlp:Request wants ds:Signature before the query (oasis-sstc-saml-schema-protocol-1.1).
  const proven = await signEnveloped(requestXml, signers.holderOfKey, {
    idAttribute: "RequestID",
    position: "first",
    includeCertificate: true,
  });
  return signWithBinaryToken(soapEnvelope({ body: proven }), signers.identification, { now: opts.now });
}
