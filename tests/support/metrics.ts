// Reads a daemon's Prometheus text (GET /metrics) into numbers, so that a test can say "this
// request added one to that counter".
export type Samples = ReadonlyMap<string, number>;

/** `name{a="x",b="y"}` → value; labels as written by prom-client (sorted as registered). */
export function parseMetrics(text: string): Samples {
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (m?.[1] && m[2]) samples.set(m[1], Number(m[2]));
  }
  return samples;
}

export async function readMetrics(baseUrl: string): Promise<Samples> {
  const res = await fetch(`${baseUrl}/metrics`);
  return parseMetrics(await res.text());
}

/** The value of one series (0 when absent); labels given in any order. */
export function sample(samples: Samples, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels);
  let total = 0;
  for (const [key, value] of samples) {
    const m = /^([^{]+)(?:\{(.*)\})?$/.exec(key);
    if (m?.[1] !== name) continue;
    const have = new Map(
      [...(m[2] ?? "").matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]),
    );
    if (wanted.every(([k, v]) => have.get(k) === v)) total += value;
  }
  return total;
}

/** How much each series moved between two readings. */
export function delta(before: Samples, after: Samples, name: string, labels: Record<string, string> = {}) {
  return sample(after, name, labels) - sample(before, name, labels);
}
