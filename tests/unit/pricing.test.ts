import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundToMajor } from '@/domain/money';
import { type FareTable, fareTableSchema, noSurge, quoteFare } from '@/domain/pricing';

/** Economy as seeded: ₹40 base + ₹12/km + ₹1.50/min, at least ₹80, plus a ₹10 booking fee. */
const economy: FareTable = {
  baseFare: 4_000,
  perKm: 1_200,
  perMinute: 150,
  minimumFare: 8_000,
  bookingFee: 1_000,
};
const trip = (km: number, min: number) => ({ distanceM: km * 1000, durationS: min * 60 });

describe('quoteFare', () => {
  it('adds base, distance and time, then the booking fee, and rounds the total to whole rupees', () => {
    const fare = quoteFare(economy, trip(5, 15));
    expect(fare).toEqual({
      base: 4_000,
      distance: 6_000,
      time: 2_250,
      surge: 0,
      surgeMultiplier: 1,
      surgeReason: null,
      minimumAdjustment: 0,
      bookingFee: 1_000,
      // 13,250 paise rounds half up to ₹133.
      total: 13_300,
      distanceM: 5_000,
      durationS: 900,
    });
  });

  it('prices fractions of a km and of a minute, rounded to the paisa', () => {
    const fare = quoteFare(economy, { distanceM: 12_345.6, durationS: 437.9 });
    expect(fare.distance).toBe(14_815); // 14,814.72
    expect(fare.time).toBe(1_095); // 1,094.75
    expect(fare.distanceM).toBe(12_346);
    expect(fare.durationS).toBe(438);
    expect(fare.minimumAdjustment).toBe(0);
    expect(fare.total).toBe(20_900); // 20,910 paise
  });

  it('raises a short trip to the minimum fare, and shows the adjustment', () => {
    const fare = quoteFare(economy, trip(0.5, 2));
    expect(fare.base + fare.distance + fare.time).toBe(4_900);
    expect(fare.minimumAdjustment).toBe(3_100);
    expect(fare.total).toBe(9_000); // minimum + booking fee
  });

  it('charges exactly the minimum fare when the metered fare equals it (no adjustment)', () => {
    const table = { ...economy, minimumFare: 4_000 + 1_200 + 150 };
    const fare = quoteFare(table, trip(1, 1));
    expect(fare.minimumAdjustment).toBe(0);
    expect(fare.total).toBe(roundToMajor(5_350 + 1_000));
  });

  it('multiplies the metered fare by surge, never the booking fee, and keeps the reason', () => {
    const surge = { multiplier: 1.3, reason: 'High demand: 14 requests for 3 available cars nearby' };
    const fare = quoteFare(economy, trip(5, 15), surge);
    expect(fare.surge).toBe(15_925 - 12_250);
    expect(fare.surgeMultiplier).toBe(1.3);
    expect(fare.surgeReason).toBe(surge.reason);
    expect(fare.bookingFee).toBe(1_000);
    expect(fare.total).toBe(roundToMajor(15_925 + 1_000)); // ₹169, not ₹172 (fee unsurged)
  });

  it('applies the minimum after surge: surge on a short trip only fills part of the minimum', () => {
    const fare = quoteFare(economy, trip(0.5, 2), { multiplier: 1.5, reason: 'busy' });
    expect(fare.surge).toBe(2_450);
    expect(fare.minimumAdjustment).toBe(8_000 - 7_350);
    expect(fare.total).toBe(9_000); // the same as without surge
    expect(quoteFare(economy, trip(0.5, 2), noSurge).total).toBe(fare.total);
  });

  it('treats no surge as multiplier 1 with no reason', () => {
    expect(quoteFare(economy, trip(3, 9))).toEqual(quoteFare(economy, trip(3, 9), noSurge));
    expect(noSurge).toEqual({ multiplier: 1, reason: null });
  });

  it('prices a zero-length trip at the minimum plus the fee', () => {
    const fare = quoteFare(economy, { distanceM: 0, durationS: 0 });
    expect(fare).toMatchObject({ distance: 0, time: 0, minimumAdjustment: 4_000, total: 9_000 });
  });

  it('for any table, trip and surge: whole rupees, never below minimum + fee, parts add up within rounding', () => {
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
  it('accepts whole paise within limits', () => {
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
