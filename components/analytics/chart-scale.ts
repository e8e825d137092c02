/** A round upper bound for an axis (1, 2, 2.5, 5 × 10ⁿ), so ticks read well. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * power >= max)!;
  return step * power;
}

/** Every how many buckets an x label fits (about eight labels across). */
export const labelEvery = (count: number) => Math.max(1, Math.ceil(count / 8));

export function bucketLabel(at: number, granularity: 'hour' | 'day'): string {
  const d = new Date(at);
  if (granularity === 'day') return d.toLocaleDateString('en-IN', { day: 'numeric', month: 'short' });
  const time = d.toLocaleTimeString('en-IN', { hour: '2-digit', minute: '2-digit', hour12: false });
  return d.getHours() === 0
    ? `${d.toLocaleDateString('en-IN', { day: 'numeric', month: 'short' })} ${time}`
    : time;
}

export const compact = (n: number) =>
  new Intl.NumberFormat('en-IN', { notation: 'compact', maximumFractionDigits: 1 }).format(n);
