// The signature ceiling: RSA-2048 / SHA-256 signatures per second on one core with node's
// crypto, over a SignedInfo-sized input — the one signature each online consultation needs.
// Run as its own process: `node bench/signature-ceiling.js [seconds]` prints one JSON line.
import { generateKeyPairSync, sign } from "node:crypto";

const seconds = Number(process.argv[2] ?? 3);
const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
// A canonical SignedInfo with two references is about 1 100 bytes.
const signedInfo = Buffer.alloc(1100, "<ds:SignedInfo>");

const until = (ms) => {
  let n = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    sign("sha256", signedInfo, privateKey);
    n++;
  }
  return n;
};
until(500); // warm-up
const t0 = performance.now();
const count = until(seconds * 1000);
const elapsed = (performance.now() - t0) / 1000;
process.stdout.write(
  `${JSON.stringify({ signatures: count, seconds: elapsed, perSecond: count / elapsed, msEach: (elapsed * 1000) / count })}\n`,
);
