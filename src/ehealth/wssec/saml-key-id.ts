// SAML holder-of-key profile for every MyCareNet call (mycarenet-protocol §3.7): Timestamp, the
// STS assertion verbatim, and a signature by the holder-of-key (organisation) key over Body and
// Timestamp whose KeyInfo names the assertion by its AssertionID. Runs once per consultation, so
// the assertion is never parsed: it is spliced in after signing, byte for byte as eHealth sent it
// (it carries eHealth's own signature and is not one of our references).
import type { Signer } from "../keys/signer.js";
import { escapeXml } from "../xml/escape.js";
import { ALG, NS, WSS } from "../xml/namespaces.js";
import { elementSpans } from "../xml/spans.js";
import {
  BODY_XPATH,
  SECURITY_XPATH,
  TIMESTAMP_XPATH,
  insertSecurityHeader,
  newId,
  timestampXml,
} from "./security-header.js";
import { signXml } from "./sign-xml.js";

const TTL_SECONDS = 60;

export async function signWithSamlKeyId(
  envelope: string,
  assertionXml: string,
  signer: Signer,
  opts: { now: Date },
): Promise<string> {
  const assertionId = assertionIdOf(assertionXml);
  const unsigned = insertSecurityHeader(
    envelope,
    timestampXml(newId("TS"), opts.now, TTL_SECONDS),
    newId("id"),
  );
  const exc = [ALG.excC14n];
  const signed = await signXml(unsigned, {
    signer,
    references: [
      { xpath: BODY_XPATH, transforms: exc },
      { xpath: TIMESTAMP_XPATH, transforms: exc },
    ],
    location: { xpath: SECURITY_XPATH, action: "append" },
    keyInfoXml:
      `<wsse:SecurityTokenReference xmlns:wsse="${NS.wsse}" xmlns:wsse11="${NS.wsse11}" ` +
      `wsse11:TokenType="${WSS.samlTokenType}"><wsse:KeyIdentifier ValueType="${WSS.samlAssertionId}">` +
      `${escapeXml(assertionId)}</wsse:KeyIdentifier></wsse:SecurityTokenReference>`,
    id: { mode: "wssecurity" },
  });
  // The header was inserted as the first block of the Header, which precedes the Body: the first
  // ds:Signature in the text is ours. The assertion goes between Timestamp and Signature.
  const at = signed.indexOf("<ds:Signature");
  if (at === -1) throw new Error("signature not found in the signed envelope");
  return signed.slice(0, at) + assertionXml + signed.slice(at);
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
