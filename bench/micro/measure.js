// Runs one pure function again and again and gives its cost per call in µs: CPU time of this
// thread (process.cpuUsage), so that another process on the same core does not count, and the
// median of 5 runs of about 0.2 s each after a warm-up.
import { median } from "../lib/stats.js";

export async function perCall(fn, { seconds = 0.2, runs = 5 } = {}) {
  // Calibrate the batch so that one batch takes about 10 ms.
  let batch = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) await fn(i);
    if (performance.now() - t0 > 10 || batch > 1e7) break;
    batch *= 2;
  }
  const samples = [];
  for (let r = 0; r < runs; r++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let calls = 0;
    while (performance.now() - t0 < seconds * 1000) {
      for (let i = 0; i < batch; i++) await fn(calls + i);
      calls += batch;
    }
    const cpu = process.cpuUsage(cpu0);
    samples.push((cpu.user + cpu.system) / calls);
  }
  return { microsEach: median(samples), samples };
}
