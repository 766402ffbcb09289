// Strict mode (SPEC §3): every payload in and out is checked against the official XSDs with
// xmllint, a validator independent of our own code. One process per message: slow (tens of
// milliseconds) but exact; strict mode is for tests, not for demo load.
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";

export const INSURABILITY_XSD = "insurabilityservices_protocol-2_0.xsd";

/** The folder of official XSDs: the project's vendored copy, `reference/mycarenet/xsd`. */
export function defaultXsdDir(): string {
  return resolve(import.meta.dirname, "../../reference/mycarenet/xsd");
}

export interface XsdVerdict {
  ok: boolean;
  /** xmllint's report (no message content beyond element names and the rule broken). */
  output: string;
}

/** `xmllint --nonet --noout --schema <xsd> -`, the document on stdin. */
export function validateXsd(xml: string, xsdDir: string, xsdFile: string): Promise<XsdVerdict> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn("xmllint", ["--nonet", "--noout", "--schema", join(xsdDir, xsdFile), "-"], {
      cwd: xsdDir,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ ok: code === 0, output }));
    child.stdin.on("error", () => undefined);
    child.stdin.end(xml, "utf8");
  });
}
