// Who is calling the insurability service (protocol notes §3.7, §7): the holder-of-key signature
// over Body and Timestamp (wssec), then the assertion it carries, which the simulator's STS must
// have signed and which must be current (ehealth/sts).
import { createHash } from "node:crypto";
import { XMLSerializer } from "@xmldom/xmldom";
import { LRUCache } from "lru-cache";
import { AssertionRejected, verifyStsAssertion } from "../ehealth/sts/assertion.js";
import type { AssertionFacts } from "../ehealth/sts/assertion.js";
import { PHARMACY_ATTRIBUTE } from "../ehealth/sts/pharmacy-profile.js";
import { WsSecurityRejected } from "../ehealth/wssec/rejected.js";
import { verifySamlKeyIdSignature } from "../ehealth/wssec/verify.js";
import { fail, ok } from "../result.js";
import type { Result } from "../result.js";

// Recip-e also reads this older spelling of the pharmacy NIHII attribute (notes §3.6).
const LEGACY_PHARMACY_NIHII = "urn:be:fgov:ehealth:1.0:nihii:pharmacy:nihii-number";
const SKEW_MS = 60_000;

export interface Session {
  assertionId: string;
  notOnOrAfter: Date;
  /** The pharmacy NIHII the STS certified, when the assertion names one. */
  pharmacyNihii?: string;
  /** False when the STS certified that this is not a recognised pharmacy or not its holder. */
  entitled: boolean;
}

export type SessionRefusal = "not-signed" | "bad-assertion" | "expired";

/** `document`: `xml` already parsed with parseXml, when the caller has it (saves a second parse). */
export type SessionChecker = (xml: string, now: Date, document?: Document) => Result<Session, SessionRefusal>;

/**
 * Every consultation of a session carries the same assertion: its STS signature is verified once
 * and remembered by the hash of its exact serialisation (any change of content is another key);
 * its validity window is checked on every call. The message signature is checked every time.
 */
export function createSessionChecker(stsCertificateDer: Buffer): SessionChecker {
  const verified = new LRUCache<string, AssertionFacts>({ max: 256 });
  const serializer = new XMLSerializer();
  return (xml, now, document) => {
    let assertion: Element;
    try {
      assertion = verifySamlKeyIdSignature(xml, { now, ...(document ? { document } : {}) }).assertion;
    } catch (error) {
      if (error instanceof WsSecurityRejected) return fail("not-signed", { reason: error.reason });
      throw error;
    }
    const key = createHash("sha256").update(serializer.serializeToString(assertion)).digest("base64");
    let facts = verified.get(key);
    try {
      if (facts === undefined) {
        facts = verifyStsAssertion(xml, assertion, { stsCertificateDer, now });
        verified.set(key, facts);
      }
    } catch (error) {
      if (error instanceof AssertionRejected) {
        return fail(error.reason === "expired" ? "expired" : "bad-assertion", { reason: error.reason });
      }
      throw error;
    }
    if (now.getTime() >= facts.notOnOrAfter.getTime()) return fail("expired");
    if (now.getTime() + SKEW_MS < facts.notBefore.getTime())
      return fail("bad-assertion", { reason: "not-yet-valid" });
    return ok(sessionOf(facts));
  };
}

function sessionOf(facts: AssertionFacts): Session {
  const first = (name: string): string | undefined => facts.attributes[name]?.[0];
  const session: Session = {
    assertionId: facts.assertionId,
    notOnOrAfter: facts.notOnOrAfter,
    entitled:
      first(PHARMACY_ATTRIBUTE.recognisedPharmacy) !== "false" &&
      first(PHARMACY_ATTRIBUTE.pharmacyHolder) !== "false",
  };
  const nihii = first(PHARMACY_ATTRIBUTE.pharmacyNihii) ?? first(LEGACY_PHARMACY_NIHII);
  if (nihii !== undefined && nihii !== "") session.pharmacyNihii = nihii;
  return session;
}
