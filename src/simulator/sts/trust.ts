// Does the simulated STS accept this certificate? Issued (and signed) by a trusted CA, inside
// its validity period, not revoked. Returns the refusal text, without personal data, or undefined.
import { X509Certificate } from "node:crypto";
import type { StsSimulatorConfig } from "./config.js";

export function certificateProblem(der: Buffer, config: StsSimulatorConfig, now: Date): string | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    return "the certificate cannot be read";
  }
  const trusted = config.trustedCaDer.some((caDer) => {
    const ca = new X509Certificate(caDer);
    return cert.checkIssued(ca) && cert.verify(ca.publicKey);
  });
  if (!trusted) return "the certificate is not issued by a trusted certification authority";
  if (now < new Date(cert.validFrom) || now > new Date(cert.validTo))
    return "the certificate is not valid at this time";
  if (config.revokedSerials.some((s) => s.toUpperCase() === cert.serialNumber.toUpperCase())) {
    return "the certificate is revoked";
  }
  return undefined;
}
