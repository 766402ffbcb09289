// A PIN-pad reader in front of the test eID: the C module in pinpad-shim/ wraps SoftHSM2 and
// asks for the PIN "on its keypad" (it waits, then logs in with the PIN it was given). Compiled
// here with the system's cc, once per source version, under .data/; the file is named by the
// source's hash and written under a temporary name first, so concurrent test files never load a
// half-written library.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { ROOT } from "./build.js";
import type { TestEid } from "../../src/simulator/pki/index.js";

const SOURCE = join(ROOT, "tests/support/pinpad-shim/pinpad.c");
const HEADERS = join(dirname(createRequire(import.meta.url).resolve("pkcs11js")), "includes/pkcs11");

/** The path of the compiled PIN-pad module. */
export function pinpadModule(): string {
  const source = readFileSync(SOURCE);
  const version = createHash("sha256").update(source).digest("hex").slice(0, 16);
  const dir = join(ROOT, ".data/pinpad-shim");
  const library = join(dir, `libpinpad-${version}.so`);
  if (existsSync(library)) return library;
  mkdirSync(dir, { recursive: true });
  const partial = `${library}.${process.pid}.tmp`;
  execFileSync("cc", ["-shared", "-fPIC", "-O2", "-I", HEADERS, "-o", partial, SOURCE, "-ldl", "-lpthread"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  renameSync(partial, library);
  return library;
}

export interface PinpadReader {
  readonly module: string;
  /** Resolves once the reader shows its prompt: a keypad login has begun (waitForTyping only). */
  prompted(): Promise<void>;
  /** The pharmacist types the PIN: the keypad login waiting for it goes on (waitForTyping only). */
  type(): void;
  /** Nobody at the keypad any more: later keypad logins are cancelled. */
  leave(): void;
}

const VARIABLES = [
  "SOFTHSM",
  "PIN",
  "DELAY_MS",
  "PROMPT_FILE",
  "TYPED_FILE",
  "TIMEOUT_MS",
  "REFUSE",
] as const;

/**
 * Puts a pharmacist at the keypad of a PIN-pad reader holding `eid`: a login without a PIN
 * waits until `type()` when `waitForTyping`, then `typingMs`, then succeeds with the card's PIN
 * (or answers the return value `refuse`, as a locked card does).
 * The module reads these variables at each login from the real environment of this process,
 * which node's process.env writes through to.
 */
export function pinpadReader(
  eid: TestEid,
  options: { typingMs?: number; waitForTyping?: boolean; refuse?: number } = {},
): PinpadReader {
  for (const name of VARIABLES) delete process.env[`MCN_PINPAD_${name}`];
  process.env["MCN_PINPAD_SOFTHSM"] = eid.module;
  process.env["MCN_PINPAD_PIN"] = eid.pin;
  process.env["MCN_PINPAD_DELAY_MS"] = String(options.typingMs ?? 0);
  if (options.refuse !== undefined) process.env["MCN_PINPAD_REFUSE"] = String(options.refuse);
  let prompt: string | undefined;
  let typed: string | undefined;
  if (options.waitForTyping) {
    const dir = mkdtempSync(join(tmpdir(), "mcn-pinpad-"));
    prompt = process.env["MCN_PINPAD_PROMPT_FILE"] = join(dir, "prompt");
    typed = process.env["MCN_PINPAD_TYPED_FILE"] = join(dir, "typed");
  }
  return {
    module: pinpadModule(),
    async prompted() {
      if (prompt === undefined) throw new Error("this reader does not wait for typing");
      while (!existsSync(prompt)) await new Promise((resolve) => setTimeout(resolve, 10));
    },
    type() {
      if (typed === undefined) throw new Error("this reader does not wait for typing");
      writeFileSync(typed, "");
    },
    leave() {
      delete process.env["MCN_PINPAD_PIN"];
    },
  };
}
