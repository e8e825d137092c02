import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundToMajor } from '@/domain/money';
import { type FareTable, fareTableSchema, noSurge, quoteFare } from '@/domain/pricing';

/** Economy as seeded: UYU 65 base + UYU 40/km + UYU 4/min, at least UYU 130, plus a UYU 15 booking fee. */
const economy: FareTable = {
  baseFare: 6_500,
  perKm: 4_000,
  perMinute: 400,
  minimumFare: 13_000,
  bookingFee: 1_500,
};
const trip = (km: number, min: number) => ({ distanceM: km * 1000, durationS: min * 60 });

describe('quoteFare', () => {
  it('adds base, distance and time, then the booking fee, and rounds the total to whole pesos', () => {
    const fare = quoteFare(economy, trip(5, 15.125));
    expect(fare).toEqual({
      base: 6_500,
      distance: 20_000,
      time: 6_050,
      surge: 0,
      surgeMultiplier: 1,
      surgeReason: null,
      minimumAdjustment: 0,
      bookingFee: 1_500,
      // 34,050 centésimos rounds half up to UYU 341.
      total: 34_100,
      distanceM: 5_000,
      durationS: 908,
    });
  });

  it('prices fractions of a km and of a minute, rounded to the centésimo', () => {
    const fare = quoteFare(economy, { distanceM: 12_345.6, durationS: 437.9 });
    expect(fare.distance).toBe(49_382); // 49,382.4
    expect(fare.time).toBe(2_919); // 2,919.33…
    expect(fare.distanceM).toBe(12_346);
    expect(fare.durationS).toBe(438);
    expect(fare.minimumAdjustment).toBe(0);
    expect(fare.total).toBe(60_300); // 60,301 centésimos
  });

  it('raises a short trip to the minimum fare, and shows the adjustment', () => {
    const fare = quoteFare(economy, trip(0.5, 2));
    expect(fare.base + fare.distance + fare.time).toBe(9_300);
    expect(fare.minimumAdjustment).toBe(3_700);
    expect(fare.total).toBe(14_500); // minimum + booking fee
  });

  it('charges exactly the minimum fare when the metered fare equals it (no adjustment)', () => {
    const table = { ...economy, minimumFare: 6_500 + 4_000 + 400 };
    const fare = quoteFare(table, trip(1, 1));
    expect(fare.minimumAdjustment).toBe(0);
    expect(fare.total).toBe(roundToMajor(10_900 + 1_500));
  });

  it('multiplies the metered fare by surge, never the booking fee, and keeps the reason', () => {
    const surge = { multiplier: 1.3, reason: 'High demand: 14 requests for 3 available cars nearby' };
    const fare = quoteFare(economy, trip(5, 15), surge);
    expect(fare.surge).toBe(42_250 - 32_500);
    expect(fare.surgeMultiplier).toBe(1.3);
    expect(fare.surgeReason).toBe(surge.reason);
    expect(fare.bookingFee).toBe(1_500);
    expect(fare.total).toBe(roundToMajor(42_250 + 1_500)); // UYU 438, not UYU 442 (fee unsurged)
  });

  it('applies the minimum after surge: surge on a short trip only fills part of the minimum', () => {
    const fare = quoteFare(economy, trip(0.2, 1), { multiplier: 1.5, reason: 'busy' });
    expect(fare.surge).toBe(3_850);
    expect(fare.minimumAdjustment).toBe(13_000 - 11_550);
    expect(fare.total).toBe(14_500); // the same as without surge
    expect(quoteFare(economy, trip(0.2, 1), noSurge).total).toBe(fare.total);
  });

  it('treats no surge as multiplier 1 with no reason', () => {
    expect(quoteFare(economy, trip(3, 9))).toEqual(quoteFare(economy, trip(3, 9), noSurge));
    expect(noSurge).toEqual({ multiplier: 1, reason: null });
  });

  it('prices a zero-length trip at the minimum plus the fee', () => {
    const fare = quoteFare(economy, { distanceM: 0, durationS: 0 });
    expect(fare).toMatchObject({ distance: 0, time: 0, minimumAdjustment: 6_500, total: 14_500 });
  });

  it('for any table, trip and surge: whole pesos, never below minimum + fee, parts add up within rounding', () => {
    const tables = fc.record({
      baseFare: fc.integer({ min: 0, max: 20_000 }),
      perKm: fc.integer({ min: 0, max: 5_000 }),
      perMinute: fc.integer({ min: 0, max: 1_000 }),
      minimumFare: fc.integer({ min: 0, max: 50_000 }),
      bookingFee: fc.integer({ min: 0, max: 5_000 }),
    });
    const travel = fc.record({
      distanceM: fc.double({ min: 0, max: 100_000, noNaN: true }),
      durationS: fc.double({ min: 0, max: 4 * 3600, noNaN: true }),
    });
    const multiplier = fc.integer({ min: 10, max: 25 }).map((m) => m / 10);
    fc.assert(
      fc.property(tables, travel, multiplier, (table, t, m) => {
        const fare = quoteFare(table, t, { multiplier: m, reason: m > 1 ? 'busy' : null });
        expect(fare.total % 100).toBe(0);
        expect(fare.surge).toBeGreaterThanOrEqual(0);
        expect(fare.minimumAdjustment).toBeGreaterThanOrEqual(0);
        const parts =
          fare.base + fare.distance + fare.time + fare.surge + fare.minimumAdjustment + fare.bookingFee;
        expect(Math.abs(fare.total - parts)).toBeLessThanOrEqual(50);
        expect(fare.total).toBeGreaterThanOrEqual(roundToMajor(table.minimumFare + table.bookingFee));
        // Surge never makes a trip cheaper.
        expect(fare.total).toBeGreaterThanOrEqual(quoteFare(table, t).total);
      }),
    );
  });

  it('never charges less for a longer or slower trip', () => {
    fc.assert(
      fc.property(fc.nat(50_000), fc.nat(50_000), fc.nat(3_600), fc.nat(3_600), (d1, d2, s1, s2) => {
        const short = quoteFare(economy, { distanceM: Math.min(d1, d2), durationS: Math.min(s1, s2) });
        const long = quoteFare(economy, { distanceM: Math.max(d1, d2), durationS: Math.max(s1, s2) });
        expect(long.total).toBeGreaterThanOrEqual(short.total);
      }),
    );
  });
});

describe('fare table schema', () => {
  it('accepts whole centésimos within limits', () => {
    expect(fareTableSchema.parse(economy)).toEqual(economy);
  });

  it('refuses negative, fractional and absurd amounts, naming the field', () => {
    for (const [field, value] of [
      ['baseFare', -1],
      ['perKm', 12.5],
      ['perMinute', 100_001],
      ['minimumFare', 1_000_001],
      ['bookingFee', Number.NaN],
    ] as const) {
      const result = fareTableSchema.safeParse({ ...economy, [field]: value });
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual([field]);
    }
    expect(fareTableSchema.safeParse({ ...economy, bookingFee: undefined }).success).toBe(false);
  });
});
