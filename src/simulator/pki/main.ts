// `node dist/simulator/pki/main.js <dir>`: makes (or reuses) the test PKI in <dir> and says what
// is there. PINs and passwords are not printed: they live in <dir>/pki.json.
import { performance } from "node:perf_hooks";
import { ensureTestPki } from "./ensure.js";
import type { TestPki } from "./test-pki.js";

function describeTestPki(pki: TestPki): string {
  return [
    `test PKI in ${pki.dir} (created ${pki.createdAt})`,
    `  CA                      ${pki.ca.certPath}`,
    `  STS signing certificate ${pki.sts.certPath}`,
    `  untrusted CA            ${pki.foreignCa.certPath}`,
    `  organisation keystore   ${pki.organisation.p12Path} (pharmacy NIHII ${pki.pharmacy.nihii}, ${pki.pharmacy.name})`,
    `  personal keystore       ${pki.personal.p12Path}`,
    `  revoked personal        ${pki.revokedPersonal.p12Path} (serial ${pki.revokedSerials.join(", ")})`,
    `  untrusted personal      ${pki.foreignPersonal.p12Path}`,
    `  eID (SoftHSM2)          token "${pki.eid.tokenLabel}", module ${pki.eid.module}`,
    `                          SOFTHSM2_CONF=${pki.eid.conf}`,
    `  holder NIHII            ${pki.holder.nihii}`,
    `  passwords and PINs      in ${pki.dir}/pki.json (not printed)`,
  ].join("\n");
}

async function main(argv: readonly string[]): Promise<number> {
  const dir = argv[0];
  if (dir === undefined || argv.length > 1) {
    process.stderr.write("usage: node dist/simulator/pki/main.js <dir>\n");
    return 2;
  }
  const started = performance.now();
  const pki = await ensureTestPki(dir);
  process.stdout.write(`${describeTestPki(pki)}\n  ready in ${Math.round(performance.now() - started)} ms\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`test PKI: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
