import { z } from 'zod';
import { demoCity } from '../city';
import { formatMoney } from '../money';

/** The amounts of a fare table, in the order admin forms show them. */
export const fareKeys = ['baseFare', 'perKm', 'perMinute', 'minimumFare', 'bookingFee'] as const;
export type FareKey = (typeof fareKeys)[number];

/**
 * A fare table as admins edit it, in integer minor units of the city's currency. The ranges are
 * wide enough for any city we know of and narrow enough to catch a rate typed in minor units
 * (a hundred times too big).
 */
export const fareLimits = {
  baseFare: 1_000_000,
  perKm: 100_000,
  perMinute: 100_000,
  minimumFare: 1_000_000,
  bookingFee: 100_000,
} as const satisfies Record<FareKey, number>;

/**
 * Whole minor units only: an amount typed finer than that (12.345) is refused, never rounded, so
 * the fare saved is the fare typed. Messages speak whole units of the currency, as the form does.
 */
function minorUnits(max: number) {
  const tooBig = `must be at most ${formatMoney(max)}`;
  return z
    .int({
      error: (issue) => {
        if (issue.code === 'invalid_type' && issue.expected !== 'int') return 'must be a number';
        if (issue.code === 'too_big') return tooBig;
        return `must be whole ${demoCity.money.minorUnit}: at most two decimal places`;
      },
    })
    .min(0, { error: 'must not be negative' })
    .max(max, { error: tooBig });
}

export const fareFields = z
  .object({
    baseFare: minorUnits(fareLimits.baseFare),
    perKm: minorUnits(fareLimits.perKm),
    perMinute: minorUnits(fareLimits.perMinute),
    minimumFare: minorUnits(fareLimits.minimumFare),
    bookingFee: minorUnits(fareLimits.bookingFee),
  })
  // A minimum below the base fare would never apply: almost certainly a typing mistake.
  .refine((f) => f.minimumFare >= f.baseFare, {
    path: ['minimumFare'],
    error: 'must be at least the base fare',
  });

export type FareFields = z.infer<typeof fareFields>;
