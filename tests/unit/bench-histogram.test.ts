import { describe, expect, it } from 'vitest';
import { Histogram } from '@/bench/lib/histogram';
import { seededRandom } from '@/domain/seeded-random';

/** Exact nearest-rank percentile, the definition the histogram approximates. */
function exact(sorted: number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

const distributions: Record<string, (r: () => number) => number> = {
  // Latencies spanning the whole range: 0.01 ms … 60 s, uniform in log space.
  'log-uniform': (r) => 0.01 * 6_000_000 ** r(),
  // A typical service: ~2 ms median with a long exponential tail.
  exponential: (r) => 0.5 - 2 * Math.log(1 - r()),
  // Sub-millisecond Redis-like latencies.
  'uniform 0.05–0.4 ms': (r) => 0.05 + 0.35 * r(),
};

describe('Histogram', () => {
  for (const [name, draw] of Object.entries(distributions)) {
    it(`matches exact percentiles within 1 % for ${name} samples`, () => {
      const r = seededRandom(name.length * 7919);
      const samples = Array.from({ length: 50_000 }, () => draw(r));
      const h = new Histogram();
      for (const s of samples) h.record(s);
      const sorted = [...samples].sort((a, b) => a - b);
      for (const q of [0.5, 0.9, 0.99, 0.999]) {
        const want = exact(sorted, q);
        expect(Math.abs(h.percentile(q) - want) / want, `p${q * 100}`).toBeLessThanOrEqual(0.01);
      }
      const summary = h.summary();
      expect(summary.count).toBe(samples.length);
      expect(summary.min).toBe(sorted[0]);
      expect(summary.max).toBe(sorted.at(-1));
      const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
      expect(summary.mean).toBeCloseTo(mean, 9);
    });
  }

  it('merges: two halves give the same answers as one histogram of everything', () => {
    const r = seededRandom(42);
    const whole = new Histogram();
    const left = new Histogram();
    const right = new Histogram();
    for (let i = 0; i < 20_000; i++) {
      const v = distributions.exponential!(r);
      whole.record(v);
      (i % 3 === 0 ? left : right).record(v);
    }
    const viaSnapshot = Histogram.fromSnapshot(JSON.parse(JSON.stringify(right.snapshot())));
    const merged = new Histogram().merge(left).merge(viaSnapshot);
    const { mean, ...rest } = merged.summary();
    const { mean: wholeMean, ...wholeRest } = whole.summary();
    expect(rest).toEqual(wholeRest);
    expect(mean).toBeCloseTo(wholeMean, 9); // float sums depend on the order of addition
  });

  it('keeps memory bounded: the bucket count does not depend on the samples', () => {
    const h = new Histogram();
    const r = seededRandom(7);
    for (let i = 0; i < 200_000; i++) h.record(distributions['log-uniform']!(r));
    expect(h.snapshot().buckets.length).toBeLessThanOrEqual(Histogram.bucketCount);
    expect(Histogram.bucketCount).toBeLessThan(2_000);
  });

  it('clamps out-of-range samples but keeps min and max exact', () => {
    const h = new Histogram();
    h.record(0.001);
    h.record(-3); // clock skew between processes counts as 0
    h.record(120_000);
    expect(h.summary().min).toBe(0);
    expect(h.summary().max).toBe(120_000);
    expect(h.percentile(1)).toBe(120_000);
    // Below the 0.01 ms floor everything shares the first bucket, reported as ≈ 0.01 ms.
    expect(h.percentile(0.5)).toBeLessThan(0.0102);
  });

  it('answers zeros when empty and refuses NaN', () => {
    expect(new Histogram().summary()).toEqual({
      count: 0,
      min: 0,
      max: 0,
      mean: 0,
      p50: 0,
      p90: 0,
      p99: 0,
      p999: 0,
    });
    expect(() => new Histogram().record(Number.NaN)).toThrow(RangeError);
  });

  it('is exact for a single repeated value', () => {
    const h = new Histogram();
    h.record(3.7, 1_000);
    expect(h.summary()).toMatchObject({ count: 1_000, p50: 3.7, p99: 3.7, min: 3.7, max: 3.7 });
  });
});
