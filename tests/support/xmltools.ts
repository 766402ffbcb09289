// Independent checks with real tools: xmllint validates against the official XSDs (offline),
// xmlsec1 verifies XML signatures with a different implementation than the one that made them.
import { spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";

// The official files, vendored in the repository (reference/mycarenet/README.md says where from).
const REFERENCE_DIR = resolve(import.meta.dirname, "../../reference/mycarenet");
/** The folder of official XSDs (every schemaLocation resolves inside it). */
export const XSD_DIR = join(REFERENCE_DIR, "xsd");
/** Reference messages (samples/README in the reference folder). */
export const SAMPLES_DIR = join(REFERENCE_DIR, "samples");

export interface ToolResult {
  readonly ok: boolean;
  /** The tool's stderr and stdout, for assertion messages. */
  readonly output: string;
}

function withTempDir<T>(run: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "mcn-xmltools-"));
  try {
    return run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `xmllint --nonet --noout --schema <xsd>`; xsdFile is a file name in XSD_DIR or a path. */
export function xmllintValidate(xml: string, xsdFile: string): ToolResult {
  const xsd = isAbsolute(xsdFile) ? xsdFile : join(XSD_DIR, xsdFile);
  return withTempDir((dir) => {
    const file = join(dir, "doc.xml");
    writeFileSync(file, xml);
    const run = spawnSync("xmllint", ["--nonet", "--noout", "--schema", xsd, file], {
      encoding: "utf8",
      cwd: XSD_DIR,
    });
    return { ok: run.status === 0, output: `${run.stderr}${run.stdout}` };
  });
}

export interface XmlsecVerifyOptions {
  /** `--id-attr:<attr> <node>` pairs, e.g. ["Id", "Body"], ["AssertionID", "Assertion"]. */
  readonly idAttributes: ReadonlyArray<readonly [string, string]>;
  /** The signer's certificate (PEM) when KeyInfo cannot give the key (WS-Security references). */
  readonly publicKeyCertificatePem?: string;
  /** Trusted roots (PEM) for a KeyInfo that carries an X509Certificate. */
  readonly trustedPem?: readonly string[];
  /** Which signature to verify when the document has several (default: the first). */
  readonly nodeXpath?: string;
}

/** `xmlsec1 --verify`: ok when the signature verifies. */
export function xmlsecVerify(xml: string, opts: XmlsecVerifyOptions): ToolResult {
  return withTempDir((dir) => {
    const file = join(dir, "doc.xml");
    writeFileSync(file, xml);
    const args = ["--verify"];
    for (const [attr, node] of opts.idAttributes) args.push(`--id-attr:${attr}`, node);
    if (opts.publicKeyCertificatePem !== undefined) {
      const pem = join(dir, "signer.pem");
      writeFileSync(pem, opts.publicKeyCertificatePem);
      // Only the given key may verify: KeyInfo's certificates are not chased.
      const ec = new X509Certificate(opts.publicKeyCertificatePem).publicKey.asymmetricKeyType === "ec";
      args.push("--pubkey-cert-pem", pem, "--enabled-key-data", ec ? "ecdsa" : "rsa");
    }
    (opts.trustedPem ?? []).forEach((pem, i) => {
      const path = join(dir, `trusted-${i}.pem`);
      writeFileSync(path, pem);
      args.push("--trusted-pem", path);
    });
    if (opts.nodeXpath !== undefined) args.push("--node-xpath", opts.nodeXpath);
    args.push(file);
    const run = spawnSync("xmlsec1", args, { encoding: "utf8" });
    return { ok: run.status === 0, output: `${run.stderr}${run.stdout}` };
  });
}
