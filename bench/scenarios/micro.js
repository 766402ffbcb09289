// The micro-benchmarks (bench/micro/), in this process before any load: µs of CPU per call.
import { microBench } from "../micro/index.js";
import { progress } from "../lib/context.js";

export const name = "micro";

export async function run(ctx) {
  progress("micro-benchmarks of the hot pure functions");
  ctx.results.micro = await microBench(ctx.settings.dist);
}
