// Mints the assertion eHealth's STS would issue (mycarenet-protocol §3.5): Issuer
// urn:be:fgov:ehealth:sts:1_0, an X509-PKI AuthenticationStatement whose subject is confirmed by
// the holder-of-key certificate, an AttributeStatement echoing the identification attributes
// and resolving the certified ones, and an enveloped signature by the STS key.
import { describeCertificate } from "../../keys/certificate.js";
import type { Signer } from "../../keys/signer.js";
import { STS_ISSUER } from "../assertion.js";
import { signEnveloped } from "../../wssec/enveloped.js";
import { escapeXml as x } from "../../xml/escape.js";
import { NS } from "../../xml/namespaces.js";
import { newSamlId } from "./replies.js";

export interface MintedAttribute {
  readonly name: string;
  readonly namespace: string;
  readonly value: string;
}

export interface AssertionContent {
  readonly identificationCertDer: Buffer;
  readonly holderOfKeyCertDer: Buffer;
  readonly attributes: readonly MintedAttribute[];
  readonly now: Date;
  readonly lifetimeSeconds: number;
}

export function mintAssertion(content: AssertionContent, signer: Signer): Promise<string> {
  const id = newSamlId();
  const now = content.now.toISOString();
  const until = new Date(content.now.getTime() + content.lifetimeSeconds * 1000).toISOString();
  const who = describeCertificate(content.identificationCertDer);
  const nameIdentifier =
    `<saml:NameIdentifier Format="urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName" ` +
    `NameQualifier="${x(who.issuer)}">${x(who.subject)}</saml:NameIdentifier>`;
  const attributes = content.attributes
    .map(
      (a) =>
        `<saml:Attribute AttributeName="${x(a.name)}" AttributeNamespace="${x(a.namespace)}">` +
        `<saml:AttributeValue>${x(a.value)}</saml:AttributeValue></saml:Attribute>`,
    )
    .join("");
  const xml =
    `<saml:Assertion xmlns:saml="${NS.saml}" xmlns:ds="${NS.ds}" AssertionID="${id}" IssueInstant="${now}" ` +
    `Issuer="${STS_ISSUER}" MajorVersion="1" MinorVersion="1">` +
    `<saml:Conditions NotBefore="${now}" NotOnOrAfter="${until}"/>` +
    `<saml:AuthenticationStatement AuthenticationInstant="${now}" AuthenticationMethod="urn:oasis:names:tc:SAML:1.0:am:X509-PKI">` +
    `<saml:Subject>${nameIdentifier}<saml:SubjectConfirmation>` +
    `<saml:ConfirmationMethod>urn:oasis:names:tc:SAML:1.0:cm:holder-of-key</saml:ConfirmationMethod>` +
    `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${content.holderOfKeyCertDer.toString("base64")}</ds:X509Certificate>` +
    `</ds:X509Data></ds:KeyInfo></saml:SubjectConfirmation></saml:Subject></saml:AuthenticationStatement>` +
    `<saml:AttributeStatement><saml:Subject>${nameIdentifier}</saml:Subject>${attributes}</saml:AttributeStatement>` +
    `</saml:Assertion>`;
  // SAML 1.1 puts ds:Signature last in an Assertion.
  return signEnveloped(xml, signer, {
    idAttribute: "AssertionID",
    position: "last",
    includeCertificate: true,
  });
}
