// API tokens for a daemon that is not the pharmacy's: one per role (SPEC §4), the pharmacist's
// carrying the holder's NIHII, written owner-only and replaced atomically. Demo mode creates
// them on first start in its data directory, so that the printed curl keeps working across
// restarts; the acceptance runs of the tests and the bench write a fresh set each.
// The pricing office acts for a (synthetic) service provider: it can consult once the titular
// pharmacist records a mandate for that BCE number (SPEC §1.6).
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The demo pricing office's enterprise number (BCE/KBO, synthetic but with a valid check). */
export const DEMO_PRICING_OFFICE_BCE = "0403170701";

export interface ApiTokens {
  file: string;
  dispensing: string;
  pharmacist: string;
  pricingOffice: string;
  admin: string;
}

export const TOKENS_FILE = "tokens.json";

/** Writes a new token per role into `dir`/tokens.json (MCN_TOKENS_FILE format). */
export function writeApiTokens(dir: string, holderNihii?: string): ApiTokens {
  const file = join(dir, TOKENS_FILE);
  mkdirSync(dir, { recursive: true });
  const make = () => randomBytes(24).toString("base64url");
  const doc = {
    tokens: [
      { token: make(), role: "dispensing", name: "counter-1" },
      {
        token: make(),
        role: "pharmacist",
        name: "pharmacist",
        ...(holderNihii ? { nihii: holderNihii } : {}),
      },
      {
        token: make(),
        role: "pricing-office",
        name: "pricing-office",
        mandatary: { kind: "company", id: DEMO_PRICING_OFFICE_BCE },
      },
      { token: make(), role: "admin", name: "admin" },
    ],
  };
  writeFileSync(`${file}.tmp`, JSON.stringify(doc, null, 2), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  return readApiTokens(file);
}

export function readApiTokens(file: string): ApiTokens {
  const doc = JSON.parse(readFileSync(file, "utf8")) as { tokens: Array<{ token: string; role: string }> };
  const of = (role: string) => doc.tokens.find((t) => t.role === role)?.token ?? "";
  return {
    file,
    dispensing: of("dispensing"),
    pharmacist: of("pharmacist"),
    pricingOffice: of("pricing-office"),
    admin: of("admin"),
  };
}

/** The demo's tokens: created on first start, then read back. */
export function ensureDemoTokens(dataDir: string, holderNihii?: string): ApiTokens {
  const file = join(dataDir, TOKENS_FILE);
  return existsSync(file) ? readApiTokens(file) : writeApiTokens(dataDir, holderNihii);
}
