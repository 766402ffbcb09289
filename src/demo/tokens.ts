// Demo mode creates its API tokens on first start (one per role) and keeps them in the data
// directory, readable by the owner only, so that the printed curl keeps working across restarts.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from "node:fs";
import { join } from "node:path";

export interface DemoTokens {
  file: string;
  dispensing: string;
  pharmacist: string;
  pricingOffice: string;
  admin: string;
}

export function ensureDemoTokens(dataDir: string, holderNihii?: string): DemoTokens {
  const file = join(dataDir, "tokens.json");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
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
        { token: make(), role: "pricing-office", name: "pricing-office" },
        { token: make(), role: "admin", name: "admin" },
      ],
    };
    writeFileSync(`${file}.tmp`, JSON.stringify(doc, null, 2), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }
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
