import { z } from 'zod';

/** The amounts of a fare table, in the order admin forms show them. */
export const fareKeys = ['baseFare', 'perKm', 'perMinute', 'minimumFare', 'bookingFee'] as const;
export type FareKey = (typeof fareKeys)[number];

/**
 * A fare table as admins edit it, in paise (integer minor units). The ranges are wide enough for
 * any city we know of and narrow enough to catch a rupee amount typed as paise times a hundred.
 */
export const fareLimits = {
  baseFare: 1_000_000,
  perKm: 100_000,
  perMinute: 100_000,
  minimumFare: 1_000_000,
  bookingFee: 100_000,
} as const satisfies Record<FareKey, number>;

const rupees = (paise: number) => `₹${(paise / 100).toLocaleString('en-IN')}`;

/**
 * Whole paise only: an amount typed finer than a paisa (₹12.345) is refused, never rounded, so
 * the fare saved is the fare typed. The message speaks rupees, as the admin form does.
 */
function paise(max: number) {
  return z
    .int({
      error: (issue) => {
        if (issue.code === 'invalid_type' && issue.expected !== 'int') return 'must be a number';
        if (issue.code === 'too_big') return `must be at most ${rupees(max)}`;
        return 'must be whole paise: at most two decimal places in rupees';
      },
    })
    .min(0, { error: 'must not be negative' })
    .max(max, { error: `must be at most ${rupees(max)}` });
}

export const fareFields = z
  .object({
    baseFare: paise(fareLimits.baseFare),
    perKm: paise(fareLimits.perKm),
    perMinute: paise(fareLimits.perMinute),
    minimumFare: paise(fareLimits.minimumFare),
    bookingFee: paise(fareLimits.bookingFee),
  })
  // A minimum below the base fare would never apply: almost certainly a typing mistake.
  .refine((f) => f.minimumFare >= f.baseFare, {
    path: ['minimumFare'],
    error: 'must be at least the base fare',
  });

export type FareFields = z.infer<typeof fareFields>;
