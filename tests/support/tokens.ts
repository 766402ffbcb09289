// A tokens file (MCN_TOKENS_FILE) written into a data directory before the stack starts: the demo
// principals (one per role, first of their role, as ensureDemoTokens reads them) and extra ones.
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_PRICING_OFFICE_BCE } from "../../src/demo/tokens.js";
import { testPki } from "./pki.js";

export interface ExtraPrincipal {
  role: "dispensing" | "pharmacist" | "pricing-office" | "admin";
  name: string;
  nihii?: string;
  mandatary?: { kind: "person" | "pharmacy" | "company"; id: string };
}

/** A fresh data directory holding the tokens file; returns it with the extra principals' tokens by name. */
export function dataDirWithTokens(extra: readonly ExtraPrincipal[]): {
  dataDir: string;
  tokens: Record<string, string>;
} {
  const dataDir = mkdtempSync(join(tmpdir(), "mcn-stack-"));
  const make = () => randomBytes(24).toString("base64url");
  const tokens: Record<string, string> = {};
  const list = [
    { token: make(), role: "dispensing", name: "counter-1" },
    { token: make(), role: "pharmacist", name: "pharmacist", nihii: testPki().holder.nihii },
    {
      token: make(),
      role: "pricing-office",
      name: "pricing-office",
      mandatary: { kind: "company", id: DEMO_PRICING_OFFICE_BCE },
    },
    { token: make(), role: "admin", name: "admin" },
    ...extra.map((p) => {
      const token = make();
      tokens[p.name] = token;
      return { token, ...p };
    }),
  ];
  writeFileSync(join(dataDir, "tokens.json"), JSON.stringify({ tokens: list }), { mode: 0o600 });
  return { dataDir, tokens };
}
