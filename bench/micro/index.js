// The micro-benchmarks: the hot pure functions whose µs figures the code's comments cite, so
// that each can be reproduced. `node bench/micro/index.js` (after a build; MCN_DIST for another)
// prints them; `npm run bench` keeps them in bench/results/latest.json.
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { perCall } from "./measure.js";
import * as calendar from "./calendar.js";
import * as log from "./log.js";
import * as niss from "./niss.js";
import * as signature from "./signature.js";
import * as c14n from "./c14n.js";

export async function microBench(dist) {
  const load = (path) => import(pathToFileURL(join(dist, path)).href);
  const out = [];
  for (const group of [calendar, log, niss, signature, c14n]) {
    for (const c of await group.cases(load)) {
      const { microsEach, samples } = await perCall(c.fn);
      out.push({ group: group.name, name: c.name, microsEach, samples });
    }
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = process.env.MCN_DIST ?? fileURLToPath(new URL("../../dist/", import.meta.url));
  for (const r of await microBench(dist)) {
    const spread = `${Math.min(...r.samples).toFixed(2)}–${Math.max(...r.samples).toFixed(2)}`;
    process.stdout.write(
      `${r.group.padEnd(10)} ${r.name.padEnd(58)} ${r.microsEach.toFixed(2).padStart(9)} µs  (${spread})\n`,
    );
  }
}
