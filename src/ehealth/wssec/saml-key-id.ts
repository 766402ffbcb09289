// SAML holder-of-key profile for every MyCareNet call (mycarenet-protocol §3.7): Timestamp, the
// STS assertion verbatim, and a signature by the holder-of-key (organisation) key over Body and
// Timestamp whose KeyInfo names the assertion by its AssertionID. Runs once per consultation, so
// the assertion is never parsed: it is spliced in after signing, byte for byte as eHealth sent it
// (it carries eHealth's own signature and is not one of our references).
import type { Signer } from "../keys/signer.js";
import { escapeXml } from "../xml/escape.js";
import { NS, WSS } from "../xml/namespaces.js";
import { child, parseXml, path } from "../xml/parse.js";
import { elementSpans } from "../xml/spans.js";
import { exclusiveSignature, type SignedElement } from "./exclusive-signature.js";
import { ownExclusiveC14n, OwnXmlUnsupported } from "./own-c14n.js";
import { insertSecurityHeader, newId, timestampXml } from "./security-header.js";

const TTL_SECONDS = 60;

export async function signWithSamlKeyId(
  envelope: string,
  assertionXml: string,
  signer: Signer,
  opts: { now: Date },
): Promise<string> {
  const assertionId = assertionIdOf(assertionXml);
  const bodyId = newId("id");
  const timestampId = newId("TS");
  const unsigned = insertSecurityHeader(envelope, timestampXml(timestampId, opts.now, TTL_SECONDS), bodyId);
  const signature = await exclusiveSignature(
    signedParts(unsigned, bodyId, timestampId),
    signer,
    `<wsse:SecurityTokenReference xmlns:wsse="${NS.wsse}" xmlns:wsse11="${NS.wsse11}" ` +
      `wsse11:TokenType="${WSS.samlTokenType}"><wsse:KeyIdentifier ValueType="${WSS.samlAssertionId}">` +
      `${escapeXml(assertionId)}</wsse:KeyIdentifier></wsse:SecurityTokenReference>`,
  );
  // The header was inserted as the first block of the Header, which precedes the Body: the first
  // end of a wsse:Security in the text is ours. Assertion then Signature go after the Timestamp.
  const at = unsigned.indexOf("</wsse:Security>");
  if (at === -1) throw new Error("Security header not found in the secured envelope");
  return unsigned.slice(0, at) + assertionXml + signature + unsigned.slice(at);
}

// The canonical forms of Body and Timestamp, from our own text (the assertion is not in it yet, and
// is never parsed): written without a tree (own-c14n.ts, ~10 times cheaper than parsing), or, if
// the text holds something that canonicaliser does not take, by parsing it once.
function signedParts(unsigned: string, bodyId: string, timestampId: string): SignedElement[] {
  try {
    const canonical = ownExclusiveC14n(unsigned, [bodyId, timestampId]);
    return [
      { id: bodyId, canonical: canonical.get(bodyId) as string },
      { id: timestampId, canonical: canonical.get(timestampId) as string },
    ];
  } catch (err) {
    if (!(err instanceof OwnXmlUnsupported)) throw err;
  }
  const root = parseXml(unsigned).documentElement;
  const body = root ? child(root, NS.soap, "Body") : undefined;
  const timestamp = root
    ? path(root, [NS.soap, "Header"], [NS.wsse, "Security"], [NS.wsu, "Timestamp"])
    : undefined;
  if (!body || !timestamp) throw new Error("the secured envelope lost its Body or Timestamp");
  return [
    { id: bodyId, element: body },
    { id: timestampId, element: timestamp },
  ];
}

// Reads AssertionID from the assertion's start tag; the assertion is scanned, never parsed.
function assertionIdOf(assertionXml: string): string {
  const root = elementSpans(assertionXml, 0)[0];
  if (
    !root ||
    !/^(?:[\w.-]+:)?Assertion$/.test(root.name) ||
    assertionXml.slice(0, root.start).trim() !== ""
  ) {
    throw new TypeError("not a SAML assertion (an XML declaration or other content precedes it)");
  }
  const id = /\sAssertionID\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(
    assertionXml.slice(root.start, root.startTagEnd),
  );
  const value = id?.[1] ?? id?.[2];
  if (!value) throw new TypeError("the assertion has no AssertionID");
  return value;
}
