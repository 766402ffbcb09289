// RecordCommonInput/Reference: at most 14 digits, unique per request — not per second (SPEC §2).
// Milliseconds since the epoch times ten, plus a counter: strictly increasing within a process
// and, being clock-based, across restarts.
export function referenceSource(clock: () => Date = () => new Date()): () => string {
  let last = 0;
  return () => {
    const candidate = clock().getTime() * 10;
    last = candidate > last ? candidate : last + 1;
    return String(last % 1e14).padStart(14, "0");
  };
}
