// What one STS round trip is given, either door (client.ts), and the two things both doors take
// from it: the session terms their request writes, and what the answer's assertion is checked
// against (the configured STS certificate, the clock, the pharmacy, the holder-of-key).
import type { Signer } from "../keys/signer.js";
import type { SoapAgent } from "../transport/agent.js";
import type { StsDoor } from "./door.js";
import type { StsResponseOptions } from "./response.js";
import type { SessionTerms } from "./session-terms.js";

/** The session terms (holder, user, pharmacy, now, lifetimeHours), the holder-of-key a signer. */
export interface StsTokenRequest extends Omit<SessionTerms, "holderOfKeyCertDer"> {
  /** …/IAM/SecurityTokenService/v1 (WS-Trust) or …/IAM/Saml11TokenService/Legacy/v1 (SAML-P). */
  readonly url: string;
  /** MCN_STS_PROTOCOL: the door, whatever the URL's path says. */
  readonly door?: StsDoor;
  /** eID authentication key or personal eHealth certificate: signs the SOAP message. */
  readonly identification: Signer;
  /** The pharmacy's organisation certificate: the assertion's holder-of-key. */
  readonly holderOfKey: Signer;
  readonly stsCertificateDer: Buffer;
  readonly timeoutMs: number;
  readonly agent?: SoapAgent;
}

export const sessionTermsOf = (req: StsTokenRequest): SessionTerms => ({
  holderOfKeyCertDer: req.holderOfKey.certificateDer,
  holder: req.holder,
  user: req.user,
  pharmacy: req.pharmacy,
  now: req.now,
  lifetimeHours: req.lifetimeHours,
});

export const answerChecksOf = (req: StsTokenRequest): StsResponseOptions => ({
  stsCertificateDer: req.stsCertificateDer,
  now: req.now,
  pharmacyNihii: req.pharmacy.nihii,
  holderOfKeyCertDer: req.holderOfKey.certificateDer,
});
