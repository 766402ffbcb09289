// The test PKI's titular asking the STS for the pharmacy's session, the organisation certificate
// as holder-of-key, for 12 hours: what most STS tests send, either door, with their own signers
// and overrides on top.
import type { Credentials } from "../../wssec/__fixtures__/credentials.js";
import type { SessionTerms } from "../session-terms.js";
import type { StsTokenRequest } from "../token-request.js";

export const titularTerms = (c: Credentials, now: Date): SessionTerms => ({
  holderOfKeyCertDer: c.organisation.certificateDer,
  holder: { ssin: c.pki.holder.ssin },
  user: { ssin: c.pki.holder.ssin },
  pharmacy: { nihii: c.pki.pharmacy.nihii },
  now,
  lifetimeHours: 12,
});

/** A round trip but for the URL and the identification signer; answers checked against the PKI's STS. */
export function titularTokenRequest(
  c: Credentials,
  now: Date,
): Omit<StsTokenRequest, "url" | "identification"> {
  const { holderOfKeyCertDer: _signerOwn, ...terms } = titularTerms(c, now);
  return { ...terms, holderOfKey: c.organisation, stsCertificateDer: c.sts.certificateDer, timeoutMs: 5000 };
}
