// Figure 5, daemon B (cache on and full, 1 000 000 commitments): memory, start to ready.
export { cacheOn as run } from "./footprint.js";
export const name = "footprint-cache-on";
