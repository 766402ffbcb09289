// In-memory answers for repeated identical questions and single-flight upstream calls (SPEC §1.6).
export { ConsultationCache, DEFAULT_MAX_ENTRIES, DEFAULT_TTL_MS } from "./consultation-cache.js";
export type { ConsultationCacheOptions, ConsultationKey } from "./consultation-cache.js";
