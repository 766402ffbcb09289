// The store in process (bench/store.js): recordConsultation one at a time and group-committed,
// findCommitment among the seeded commitments.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { storeBench } from "../store.js";
import { progress } from "../lib/context.js";

export const name = "store";

export async function run(ctx) {
  const seeded = await ctx.seededStore();
  progress("store, in process");
  mkdirSync(join(ctx.dir, "store"), { recursive: true });
  ctx.results.store = await storeBench({
    dist: ctx.settings.dist,
    dir: join(ctx.dir, "store"),
    commitments: ctx.settings.commitments,
    seeded: seeded.file,
  });
  ctx.results.store.findCommitment.load = seeded.load;
}
