import type { Lang } from "../errors.js";

const supported: readonly Lang[] = ["fr", "nl", "en"];

/** Picks fr, nl or en from an Accept-Language header, by quality; the fallback otherwise. */
export function negotiateLanguage(header: string | undefined, fallback: Lang): Lang {
  if (!header) return fallback;
  let best: { lang: Lang; q: number } | undefined;
  for (const part of header.split(",")) {
    const [tag = "", ...params] = part.trim().split(";");
    const base = tag.trim().toLowerCase().split("-")[0] as Lang;
    if (!supported.includes(base)) continue;
    const qParam = params.find((p) => p.trim().startsWith("q="));
    const q = qParam ? Number(qParam.trim().slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { lang: base, q };
  }
  return best?.lang ?? fallback;
}
