import { describe, expect, it } from 'vitest';
import { seededRandom } from '@/domain/seeded-random';

describe('seeded random', () => {
  it('gives the same sequence for the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(xs);
  });

  it('gives a different sequence for a different seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(43);
    const xs = Array.from({ length: 20 }, () => a());
    const ys = Array.from({ length: 20 }, () => b());
    expect(ys).not.toEqual(xs);
    expect(ys.filter((y, k) => y === xs[k]).length).toBe(0);
  });

  it('stays in [0, 1) and spreads evenly', () => {
    const random = seededRandom(7);
    const buckets = new Array<number>(10).fill(0);
    const count = 20_000;
    for (let k = 0; k < count; k++) {
      const x = random();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      buckets[Math.floor(x * 10)]!++;
    }
    for (const b of buckets) expect(Math.abs(b - count / 10)).toBeLessThan(count / 10 / 5);
  });
});
