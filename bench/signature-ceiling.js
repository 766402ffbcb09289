// The signature ceiling: RSA-2048 / SHA-256 signatures per second on one core with node's
// crypto, over a SignedInfo-sized input — the one signature each online consultation needs.
// Its own process, so that it has a core to itself like the daemon: `node
// bench/signature-ceiling.js [seconds]` prints one JSON line; with `--serve`, each line read on
// stdin (milliseconds) runs that long and answers one JSON line (the interleaved runs of run.js).
import { generateKeyPairSync, sign } from "node:crypto";
import { createInterface } from "node:readline";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
// A canonical SignedInfo with two references is about 1 100 bytes.
const signedInfo = Buffer.alloc(1100, "<ds:SignedInfo>");

function signFor(ms) {
  let count = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + ms;
  while (performance.now() < end) {
    sign("sha256", signedInfo, privateKey);
    count++;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // CPU time per signature: what one signature costs whatever else the cores are doing.
  const cpuMicrosEach = (cpu.user + cpu.system) / count;
  return { count, seconds, perSecond: count / seconds, msEach: (seconds * 1000) / count, cpuMicrosEach };
}

signFor(500); // warm-up
if (process.argv[2] === "--serve") {
  process.stdout.write("ready\n");
  for await (const line of createInterface({ input: process.stdin })) {
    process.stdout.write(`${JSON.stringify(signFor(Number(line)))}\n`);
  }
} else {
  process.stdout.write(`${JSON.stringify(signFor(Number(process.argv[2] ?? 3) * 1000))}\n`);
}
