// What the login worker costs (issue 15 item 4): C_Login on the SoftHSM eID of the test PKI, on
// this thread (pkcs11js directly) and through loginOffThread (a worker thread), alternated, each
// on a fresh session (closing it logs the token out). `npm run build` (or MCN_DIST), a test PKI under
// .data/test-pki (any vitest run makes one), then `node bench/pkcs11-login.js [runs]`: one JSON
// line with the medians in milliseconds. Not part of run.js.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pkcs11js from "pkcs11js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// The built daemon (MCN_DIST, as the other scripts here), loaded at run time.
const dist = process.env.MCN_DIST ?? join(root, "dist");
const { loginOffThread } = await import(join(dist, "ehealth/keys/pkcs11-login.js"));
const { Pkcs11Module } = await import(join(dist, "ehealth/keys/pkcs11-module.js"));
const { readTestPki } = await import(join(dist, "simulator/pki/index.js"));
const { eid } = readTestPki(join(root, ".data/test-pki"));
process.env.SOFTHSM2_CONF = eid.conf;
const runs = Number(process.argv[2] ?? 20);

const module = Pkcs11Module.load(eid.module);
const { api } = module;
const slot = api.C_GetSlotList(true).find((s) => api.C_GetTokenInfo(s).label.trimEnd() === eid.tokenLabel);
const timings = { inThread: [], worker: [] };
for (let i = 0; i < runs; i++) {
  for (const way of ["inThread", "worker"]) {
    const session = api.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    const started = performance.now();
    if (way === "inThread") api.C_Login(session, pkcs11js.CKU_USER, eid.pin);
    else await loginOffThread(module.path, session, eid.pin);
    timings[way].push(performance.now() - started);
    api.C_CloseSession(session);
  }
}
module.close();

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (ms) => Math.round(ms * 10) / 10;
console.log(
  JSON.stringify({
    runs,
    inThreadMedianMs: round(median(timings.inThread)),
    workerMedianMs: round(median(timings.worker)),
    addedMedianMs: round(median(timings.worker) - median(timings.inThread)),
  }),
);
