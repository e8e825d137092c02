/** Rollup time grid: UTC-aligned hours and 5-minute buckets, as epoch milliseconds. */
export const hourMs = 3_600_000;
export const bucketMs = 300_000;

export const hourOf = (at: number) => Math.floor(at / hourMs) * hourMs;
export const bucketOf = (at: number) => Math.floor(at / bucketMs) * bucketMs;

/**
 * A time interval can be credited to many hours at most this long: a driver silent for longer is
 * a missed event, not a 40-day shift, and must not write thousands of rows.
 */
export const maxCreditMs = 31 * 24 * hourMs;

/** [start, end) cut at hour boundaries; empty when end ≤ start. */
export function splitByHour(start: number, end: number): { hour: number; ms: number }[] {
  const pieces: { hour: number; ms: number }[] = [];
  const last = Math.min(end, start + maxCreditMs);
  for (let at = start; at < last; ) {
    const hour = hourOf(at);
    const next = Math.min(hour + hourMs, last);
    pieces.push({ hour, ms: next - at });
    at = next;
  }
  return pieces;
}
