// Certificates that run out soon (issue 15): the organisation (holder-of-key), the personal
// eHealth certificate, the eID last used, the STS's signing certificate and the TLS trust. eHealth
// refuses an expired one at once, and renewing takes days: warn 30 days ahead, saying which.
import { X509Certificate } from "node:crypto";

export type CertificateRole = "organisation" | "personal" | "eid" | "sts" | "tls-trust";

export const EXPIRY_WARNING_DAYS = 30;

export interface CertificateExpiry {
  readonly certificate: CertificateRole;
  readonly notAfter: string;
  /** Whole days left (negative once expired). */
  readonly daysLeft: number;
  readonly expired: boolean;
}

const DAY_MS = 86_400_000;

/** When each certificate expires (unreadable ones are left out: the start-up already failed on them). */
export function certificateExpiries(
  certificates: ReadonlyArray<{ readonly role: CertificateRole; readonly der: Buffer }>,
  now: Date,
): CertificateExpiry[] {
  const out: CertificateExpiry[] = [];
  for (const { role, der } of certificates) {
    let notAfter: Date;
    try {
      notAfter = new Date(new X509Certificate(der).validTo);
    } catch {
      continue;
    }
    const left = notAfter.getTime() - now.getTime();
    out.push({
      certificate: role,
      notAfter: notAfter.toISOString(),
      daysLeft: Math.floor(left / DAY_MS),
      expired: left <= 0,
    });
  }
  return out;
}

/** Those to warn about: expired, or expiring within `days`. */
export const expiringSoon = (
  expiries: readonly CertificateExpiry[],
  days = EXPIRY_WARNING_DAYS,
): CertificateExpiry[] => expiries.filter((e) => e.expired || e.daysLeft < days);

/** Every certificate of a PEM bundle (MCN_TLS_CA may hold several), as DER. */
export function pemCertificates(pem: string): Buffer[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) =>
    Buffer.from((m[1] ?? "").replace(/\s+/g, ""), "base64"),
  );
}
