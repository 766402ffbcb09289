// The checks a start makes before it opens anything (README "Configuration": a bad setting
// stops the daemon at start with one line naming it): every file a setting names can be read,
// and the PKCS#11 module loads. Missing files would otherwise surface later, at the first
// session, far from the setting that caused them.
import { accessSync, constants } from "node:fs";
import type { Settings } from "../config/index.js";
import { pkcs11LoadFailure } from "../ehealth/keys/pkcs11-module.js";

/** The problems, one line each naming its setting; empty when the start may go on. */
export function preflight(config: Settings): string[] {
  const problems: string[] = [];
  const files: Array<[string, string | undefined]> = [
    ["MCN_STS_CERT", config.stsCertFile],
    ["MCN_TLS_CA", config.tlsCaFile],
    ["MCN_ORG_KEYSTORE", config.orgKeystore?.file],
    ["MCN_PERSONAL_KEYSTORE", config.personalKeystore?.file],
    ["MCN_TOKENS_FILE", config.tokensFile],
  ];
  for (const [name, path] of files) {
    const problem = path === undefined ? undefined : unreadable(path);
    if (problem) problems.push(`${name}: ${path} ${problem}`);
  }
  if (config.pkcs11) {
    const { module } = config.pkcs11;
    const missing = unreadable(module);
    const failure = missing ?? pkcs11LoadFailure(module);
    if (failure) {
      problems.push(
        `MCN_PKCS11_MODULE: ${missing ? `${module} ${missing}` : `cannot load ${module} (${failure})`}; ` +
          "install the eID middleware and name its PKCS#11 library, or unset it and use MCN_PERSONAL_KEYSTORE",
      );
    }
  }
  return problems;
}

function unreadable(path: string): string | undefined {
  try {
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? "error"})`;
  }
}
