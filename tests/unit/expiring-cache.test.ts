import { describe, expect, it } from 'vitest';
import { ExpiringCache } from '@/server/infra/expiring-cache';

describe('ExpiringCache', () => {
  it('answers an entry until its own end, then forgets it', () => {
    const cache = new ExpiringCache<string, number | null>(10);
    cache.set('a', 1, 1_000);
    cache.set('gone', null, 1_000);
    expect(cache.get('a', 999)).toBe(1);
    // A remembered absence is an answer too, distinct from "not known".
    expect(cache.get('gone', 999)).toBeNull();
    expect(cache.get('a', 1_000)).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it('keeps at most `max` entries, dropping the oldest inserted first', () => {
    const cache = new ExpiringCache<number, number>(3);
    for (let i = 0; i < 5; i++) cache.set(i, i, 10_000);
    expect([0, 1, 2, 3, 4].map((i) => cache.get(i, 0))).toEqual([undefined, undefined, 2, 3, 4]);
    // Setting again renews an entry's place.
    cache.set(2, 20, 10_000);
    cache.set(5, 5, 10_000);
    expect([2, 3, 4, 5].map((i) => cache.get(i, 0))).toEqual([20, undefined, 4, 5]);
  });

  it('deletes by key, by value and all at once', () => {
    const cache = new ExpiringCache<string, { user: string }>(10);
    cache.set('s1', { user: 'u1' }, 10_000);
    cache.set('s2', { user: 'u1' }, 10_000);
    cache.set('s3', { user: 'u2' }, 10_000);
    cache.deleteWhere((v) => v.user === 'u1');
    expect(cache.get('s1', 0)).toBeUndefined();
    expect(cache.get('s3', 0)).toEqual({ user: 'u2' });
    cache.delete('s3');
    expect(cache.size).toBe(0);
    cache.set('s4', { user: 'u3' }, 10_000);
    cache.clear();
    expect(cache.get('s4', 0)).toBeUndefined();
  });
});
