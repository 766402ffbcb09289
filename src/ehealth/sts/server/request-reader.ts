// What the simulated STS reads from a legacy samlp:Request (mycarenet-protocol §3.2): the
// request id, the holder-of-key certificate in SubjectConfirmation, the identification
// attributes, the requested lifetime and the designators.
import { keyInfoCertificate } from "../../wssec/dsig.js";
import { NS } from "../../xml/namespaces.js";
import { childElements, path, text } from "../../xml/parse.js";
import { parseXsDateTime } from "../../xml/datetime.js";
import { lifetimeSeconds, type SessionAsked } from "./session-asked.js";

/** requestedLifetimeSeconds: NotOnOrAfter − NotBefore of the request's assertion. */
export interface StsRequestFacts extends SessionAsked {
  readonly request: Element;
  readonly requestId: string;
  readonly holderOfKeyCertDer: Buffer | undefined;
}

export function readStsRequest(body: Element): StsRequestFacts | undefined {
  const request = childElements(body).find((e) => e.namespaceURI === NS.samlp && e.localName === "Request");
  const query = request && path(request, [NS.samlp, "AttributeQuery"]);
  const confirmation = query && path(query, [NS.saml, "Subject"], [NS.saml, "SubjectConfirmation"]);
  if (!request || !query || !confirmation) return undefined;
  const assertion = path(confirmation, [NS.saml, "SubjectConfirmationData"], [NS.saml, "Assertion"]);
  const identification = new Map<string, { namespace: string; value: string }>();
  const statement = assertion && path(assertion, [NS.saml, "AttributeStatement"]);
  for (const attribute of statement ? childElements(statement) : []) {
    if (attribute.namespaceURI !== NS.saml || attribute.localName !== "Attribute") continue;
    const value = childElements(attribute).find((v) => v.localName === "AttributeValue");
    identification.set(attribute.getAttribute("AttributeName") ?? "", {
      namespace: attribute.getAttribute("AttributeNamespace") ?? "",
      value: (text(value) ?? "").trim(),
    });
  }
  const conditions = assertion && path(assertion, [NS.saml, "Conditions"]);
  const from = parseXsDateTime(conditions?.getAttribute("NotBefore") ?? undefined);
  const until = parseXsDateTime(conditions?.getAttribute("NotOnOrAfter") ?? undefined);
  return {
    request,
    requestId: request.getAttribute("RequestID") ?? "",
    holderOfKeyCertDer: keyInfoCertificate(path(confirmation, [NS.ds, "KeyInfo"])),
    identification,
    designators: childElements(query)
      .filter((d) => d.namespaceURI === NS.saml && d.localName === "AttributeDesignator")
      .map((d) => ({
        name: d.getAttribute("AttributeName") ?? "",
        namespace: d.getAttribute("AttributeNamespace") ?? "",
      })),
    requestedLifetimeSeconds: lifetimeSeconds(from, until),
  };
}
