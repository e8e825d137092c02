import { z } from 'zod';
import type { TravelEstimate } from './eta';
import { type Minor, roundToMajor } from './money';

/** A vehicle type's fare table, in minor units of the city's currency. Admins edit it. */
export const fareTableSchema = z.object({
  baseFare: z.int().min(0).max(1_000_000),
  perKm: z.int().min(0).max(100_000),
  perMinute: z.int().min(0).max(100_000),
  minimumFare: z.int().min(0).max(1_000_000),
  bookingFee: z.int().min(0).max(100_000),
});
export type FareTable = z.infer<typeof fareTableSchema>;

export interface Surge {
  multiplier: number;
  /** Why, in words a rider understands ("High demand: 14 requests, 3 cars nearby"). */
  reason: string | null;
}

export const noSurge: Surge = { multiplier: 1, reason: null };

export interface FareBreakdown {
  base: Minor;
  distance: Minor;
  time: Minor;
  /** Added by surge over base + distance + time. */
  surge: Minor;
  surgeMultiplier: number;
  surgeReason: string | null;
  /** Raised to the minimum fare, if the trip was shorter. */
  minimumAdjustment: Minor;
  bookingFee: Minor;
  total: Minor;
  distanceM: number;
  durationS: number;
}

/**
 * The fare of a trip. Surge multiplies the distance-and-time fare, never the booking fee; the
 * minimum fare applies after surge; the total is rounded to a whole unit (`roundToMajor`).
 */
export function quoteFare(table: FareTable, travel: TravelEstimate, surge: Surge = noSurge): FareBreakdown {
  const base = table.baseFare;
  const distance = Math.round((travel.distanceM / 1000) * table.perKm);
  const time = Math.round((travel.durationS / 60) * table.perMinute);
  const metered = base + distance + time;
  const surged = Math.round(metered * surge.multiplier);
  const minimumAdjustment = Math.max(0, table.minimumFare - surged);
  const total = roundToMajor(surged + minimumAdjustment + table.bookingFee);
  return {
    base,
    distance,
    time,
    surge: surged - metered,
    surgeMultiplier: surge.multiplier,
    surgeReason: surge.reason,
    minimumAdjustment,
    bookingFee: table.bookingFee,
    total,
    distanceM: Math.round(travel.distanceM),
    durationS: Math.round(travel.durationS),
  };
}
