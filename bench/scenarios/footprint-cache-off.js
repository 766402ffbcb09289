// Figure 5, daemon A (cache off): memory after the consultations, start to ready on a fresh store.
export { cacheOff as run } from "./footprint.js";
export const name = "footprint-cache-off";
