import { describe, expect, it } from 'vitest';
import { offsetMeters } from '@/domain/geo';
import {
  defaultLocationFilterPolicy,
  filterPings,
  type LastAccepted,
  locationBatchSchema,
} from '@/domain/location';

const now = 1_800_000_000_000;
const origin = { lat: 12.97, lng: 77.59 };
const ping = (seq: number, atOffsetMs: number, northM = 0, extra: Record<string, number> = {}) => {
  const p = offsetMeters(origin, northM, 0);
  return { seq, at: now + atOffsetMs, lat: p.lat, lng: p.lng, ...extra };
};

describe('location quality filter', () => {
  it('accepts a clean track and remembers the last point', () => {
    const result = filterPings([ping(1, -8_000), ping(2, -4_000, 40), ping(3, 0, 80)], null, now);
    expect(result.accepted.map((p) => p.seq)).toEqual([1, 2, 3]);
    expect(result.dropped).toEqual([]);
    expect(result.last?.seq).toBe(3);
  });

  it('sorts a batch by sequence before judging it', () => {
    const result = filterPings([ping(3, 0, 80), ping(1, -8_000), ping(2, -4_000, 40)], null, now);
    expect(result.accepted.map((p) => p.seq)).toEqual([1, 2, 3]);
  });

  it('drops each bad point with its reason and keeps the good ones', () => {
    const last: LastAccepted = { seq: 10, at: now - 10_000, lat: origin.lat, lng: origin.lng, jumpStreak: 0 };
    const result = filterPings(
      [
        ping(9, -9_000), // replayed
        ping(11, -20_000), // newer seq, older time
        ping(12, 60_000), // from the future
        ping(13, -5_000, 10, { accuracyM: 500 }), // poor fix
        ping(14, -4_000, 5_000), // 5 km in 6 s
        ping(15, -3_000, 30), // fine
      ],
      last,
      now,
    );
    expect(result.dropped).toEqual([
      { seq: 9, reason: 'duplicate' },
      { seq: 11, reason: 'out_of_order' },
      { seq: 12, reason: 'future_timestamp' },
      { seq: 13, reason: 'poor_accuracy' },
      { seq: 14, reason: 'impossible_speed' },
    ]);
    expect(result.accepted.map((p) => p.seq)).toEqual([15]);
  });

  it('drops points older than the age limit', () => {
    const result = filterPings([ping(1, -defaultLocationFilterPolicy.maxAgeMs - 1)], null, now);
    expect(result.dropped).toEqual([{ seq: 1, reason: 'too_old' }]);
  });

  it('accepts a real relocation after several consistent "impossible" jumps', () => {
    const last: LastAccepted = { seq: 1, at: now - 10_000, lat: origin.lat, lng: origin.lng, jumpStreak: 0 };
    const far = 20_000;
    const result = filterPings(
      [ping(2, -6_000, far), ping(3, -4_000, far + 20), ping(4, -2_000, far + 40)],
      last,
      now,
    );
    expect(result.dropped.map((d) => d.reason)).toEqual(['impossible_speed', 'impossible_speed']);
    expect(result.accepted.map((p) => p.seq)).toEqual([4]);
    expect(result.last?.jumpStreak).toBe(0);
  });

  it('does not advance past dropped points', () => {
    const result = filterPings([ping(1, 120_000)], null, now);
    expect(result.last).toBeNull();
  });
});

describe('location batch schema', () => {
  const valid = { sessionId: '6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', pings: [ping(1, 0)] };

  it('accepts a valid batch', () => {
    expect(locationBatchSchema.safeParse(valid).success).toBe(true);
  });

  it.each([
    ['latitude out of range', { ...valid, pings: [{ ...ping(1, 0), lat: 91 }] }, 'pings.0.lat'],
    ['longitude out of range', { ...valid, pings: [{ ...ping(1, 0), lng: -181 }] }, 'pings.0.lng'],
    ['non-integer seq', { ...valid, pings: [{ ...ping(1, 0), seq: 1.5 }] }, 'pings.0.seq'],
    ['empty batch', { ...valid, pings: [] }, 'pings'],
    ['oversized batch', { ...valid, pings: Array.from({ length: 101 }, (_, i) => ping(i + 1, 0)) }, 'pings'],
    ['bad session id', { ...valid, sessionId: 'nope' }, 'sessionId'],
    ['NaN coordinate', { ...valid, pings: [{ ...ping(1, 0), lat: Number.NaN }] }, 'pings.0.lat'],
  ])('rejects %s naming the field', (_name, input, field) => {
    const parsed = locationBatchSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path.join('.')).toBe(field);
  });
});
