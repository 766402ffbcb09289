// X.509 token profile, as the eHealth STS expects it (mycarenet-protocol §3.4): Timestamp, the
// identification certificate as a BinarySecurityToken, and a signature by its key over Body,
// Timestamp and token; KeyInfo points at the token.
import type { Signer } from "../keys/signer.js";
import { ALG, NS, WSS } from "../xml/namespaces.js";
import {
  BODY_XPATH,
  SECURITY_XPATH,
  TIMESTAMP_XPATH,
  insertSecurityHeader,
  newId,
  timestampXml,
} from "./security-header.js";
import { signXml, step } from "./sign-xml.js";

const BST_XPATH = `${SECURITY_XPATH}/${step(NS.wsse, "BinarySecurityToken")}`;

export async function signWithBinaryToken(
  envelope: string,
  signer: Signer,
  opts: { now: Date; ttlSeconds?: number; ecDigest?: "SHA256" | "SHA384" },
): Promise<string> {
  const bodyId = newId("id");
  const bstId = newId("X509");
  const bst =
    `<wsse:BinarySecurityToken EncodingType="${WSS.base64Binary}" ValueType="${WSS.x509v3}" ` +
    `wsu:Id="${bstId}">${signer.certificateDer.toString("base64")}</wsse:BinarySecurityToken>`;
  const unsigned = insertSecurityHeader(
    envelope,
    timestampXml(newId("TS"), opts.now, opts.ttlSeconds ?? 60) + bst,
    bodyId,
  );
  const exc = [ALG.excC14n];
  return signXml(unsigned, {
    signer,
    references: [
      { xpath: BODY_XPATH, transforms: exc },
      { xpath: TIMESTAMP_XPATH, transforms: exc },
      { xpath: BST_XPATH, transforms: exc },
    ],
    location: { xpath: SECURITY_XPATH, action: "append" },
    keyInfoXml:
      `<wsse:SecurityTokenReference xmlns:wsse="${NS.wsse}">` +
      `<wsse:Reference URI="#${bstId}" ValueType="${WSS.x509v3}"/></wsse:SecurityTokenReference>`,
    id: { mode: "wssecurity" },
    ...(opts.ecDigest ? { ecDigest: opts.ecDigest } : {}),
  });
}
