// What an eHealth STS assertion says and whether to believe it (mycarenet-protocol §3.5): signed
// by the configured STS certificate (enveloped, Reference #AssertionID), issued by the STS, and
// inside Conditions NotBefore/NotOnOrAfter. Used by the STS client on the answer and by the
// simulated MyCareNet on every consultation.
import { NS } from "../xml/namespaces.js";
import { child, childElements, text } from "../xml/parse.js";
import { parseXsDateTime } from "../xml/datetime.js";
import { verifyEnveloped } from "../wssec/enveloped.js";
import { holderOfKeyCertificate } from "../wssec/verify.js";
import { WsSecurityRejected } from "../wssec/rejected.js";

export const STS_ISSUER = "urn:be:fgov:ehealth:sts:1_0";

export interface AssertionFacts {
  readonly assertionId: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notOnOrAfter: Date;
  readonly holderCertificateDer: Buffer;
  /** AttributeName → values, from every AttributeStatement. */
  readonly attributes: Readonly<Record<string, string[]>>;
}

export type AssertionProblem = "signature-invalid" | "not-yet-valid" | "expired" | "malformed";

export class AssertionRejected extends Error {
  readonly reason: AssertionProblem;
  constructor(reason: AssertionProblem, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AssertionRejected";
    this.reason = reason;
  }
}

/** Reads the assertion without checking its signature or validity. Throws AssertionRejected("malformed"). */
export function readAssertion(assertion: Element): AssertionFacts {
  if (assertion.namespaceURI !== NS.saml || assertion.localName !== "Assertion") {
    throw new AssertionRejected("malformed", "not a SAML 1.1 assertion");
  }
  const assertionId = assertion.getAttribute("AssertionID") ?? "";
  const conditions = child(assertion, NS.saml, "Conditions");
  const notBefore = parseXsDateTime(conditions?.getAttribute("NotBefore") ?? undefined);
  const notOnOrAfter = parseXsDateTime(conditions?.getAttribute("NotOnOrAfter") ?? undefined);
  if (
    !assertionId ||
    assertion.getAttribute("MajorVersion") !== "1" ||
    assertion.getAttribute("MinorVersion") !== "1" ||
    !notBefore ||
    !notOnOrAfter
  ) {
    throw new AssertionRejected("malformed", "assertion without id, version 1.1 or Conditions");
  }
  let holderCertificateDer: Buffer;
  try {
    holderCertificateDer = holderOfKeyCertificate(assertion);
  } catch (error) {
    throw new AssertionRejected("malformed", "assertion without a holder-of-key certificate", {
      cause: error,
    });
  }
  const attributes: Record<string, string[]> = {};
  for (const statement of childElements(assertion)) {
    if (statement.namespaceURI !== NS.saml || statement.localName !== "AttributeStatement") continue;
    for (const attribute of childElements(statement)) {
      if (attribute.namespaceURI !== NS.saml || attribute.localName !== "Attribute") continue;
      const name = attribute.getAttribute("AttributeName") ?? "";
      const values = childElements(attribute)
        .filter((v) => v.namespaceURI === NS.saml && v.localName === "AttributeValue")
        .map((v) => (text(v) ?? "").trim());
      attributes[name] = [...(attributes[name] ?? []), ...values];
    }
  }
  return {
    assertionId,
    issuer: assertion.getAttribute("Issuer") ?? "",
    notBefore,
    notOnOrAfter,
    holderCertificateDer,
    attributes,
  };
}

/**
 * Checks the STS signature and the validity window; `xml` is the text the assertion's document
 * was parsed from. Throws AssertionRejected.
 */
export function verifyStsAssertion(
  xml: string,
  assertion: Element,
  opts: { readonly stsCertificateDer: Buffer; readonly now: Date; readonly maxSkewSeconds?: number },
): AssertionFacts {
  const facts = readAssertion(assertion);
  if (facts.issuer !== STS_ISSUER)
    throw new AssertionRejected("malformed", "assertion not issued by the eHealth STS");
  try {
    verifyEnveloped(xml, assertion, "AssertionID", opts.stsCertificateDer);
  } catch (error) {
    if (error instanceof WsSecurityRejected) {
      throw new AssertionRejected(
        error.reason === "malformed" ? "malformed" : "signature-invalid",
        error.message,
        { cause: error },
      );
    }
    throw error;
  }
  const skew = (opts.maxSkewSeconds ?? 60) * 1000;
  const now = opts.now.getTime();
  if (now + skew < facts.notBefore.getTime())
    throw new AssertionRejected("not-yet-valid", "assertion not yet valid");
  if (now >= facts.notOnOrAfter.getTime()) throw new AssertionRejected("expired", "assertion expired");
  return facts;
}
