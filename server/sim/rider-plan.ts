import type { CityConfig, CityPlace } from '@/domain/city';
import { type LatLng, offsetMeters } from '@/domain/geo';

/** How simulated riders behave (SIM_* settings). */
export interface RiderDemand {
  /** Bookings per hour across the city at the busiest hour of the day. */
  peakPerHour: number;
  /** Share of bookings made for later: a pickup 20–90 minutes ahead. */
  scheduledShare: number;
  /** Share of bookings the rider cancels, 5–60 s after booking. */
  cancelShare: number;
}

export const defaultDemand: RiderDemand = { peakPerHour: 60, scheduledShare: 0.1, cancelShare: 0.1 };

/**
 * Share of the peak by local hour (0–23): quiet nights, a morning and an evening peak, a busy
 * lunchtime. Between hours the share is interpolated, so demand never jumps on the hour.
 */
const dayCurve = [
  0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.45, 0.8, 1, 0.85, 0.65, 0.6, 0.7, 0.65, 0.6, 0.65, 0.75, 0.9, 1, 0.9,
  0.7, 0.55, 0.4, 0.25,
];

/** The hour of the day, with its fraction, at `nowMs` in the city's time zone. */
export function localHour(nowMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(nowMs);
  const value = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return value('hour') + value('minute') / 60;
}

/** Share of the peak demand at `hour` (0 ≤ hour < 24, fractional). */
export function demandShare(hour: number): number {
  const h = Math.floor(hour) % 24;
  const next = (h + 1) % 24;
  const f = hour - Math.floor(hour);
  return dayCurve[h]! * (1 - f) + dayCurve[next]! * f;
}

/** How many bookings arrive in an interval whose expected count is `mean` (Poisson, mean ≤ ~30). */
export function arrivals(random: () => number, mean: number): number {
  if (mean <= 0) return 0;
  const limit = Math.exp(-mean);
  let n = 0;
  for (let p = random(); p > limit; p *= random()) n++;
  return n;
}

/** What riders ask for: mostly economy, as in any city. */
const vehicleMix: readonly (readonly [string, number])[] = [
  ['economy', 0.6],
  ['comfort', 0.2],
  ['xl', 0.1],
  ['moto', 0.1],
];

export interface PlannedTrip {
  pickup: LatLng;
  dropoff: LatLng;
  pickupLabel: string;
  dropoffLabel: string;
  vehicleTypeId: string;
  /** For a scheduled booking, how far ahead the pickup is; null to go now. */
  scheduledInMs: number | null;
  /** When the rider will cancel, after booking; null if they will not. */
  cancelAfterMs: number | null;
}

/** Pickups and drop-offs gather around the city's places (stations, hospitals, malls, parks). */
const hotspotRadiusM = 350;

/** One rider's trip: from near one of the city's places to near another, with the rider's intent. */
export function planTrip(random: () => number, city: CityConfig, demand: RiderDemand): PlannedTrip {
  const from = pickPlace(random, city.places);
  const to = pickPlace(
    random,
    city.places.filter((p) => p.id !== from.id),
  );
  return {
    pickup: near(random, from),
    dropoff: near(random, to),
    pickupLabel: `Near ${from.label}`,
    dropoffLabel: `Near ${to.label}`,
    vehicleTypeId: pickWeighted(random, vehicleMix),
    scheduledInMs: random() < demand.scheduledShare ? Math.round((20 + random() * 70) * 60_000) : null,
    cancelAfterMs: random() < demand.cancelShare ? Math.round((5 + random() * 55) * 1_000) : null,
  };
}

function pickPlace(random: () => number, places: readonly CityPlace[]): CityPlace {
  return places[Math.floor(random() * places.length)]!;
}

function near(random: () => number, place: LatLng): LatLng {
  // Uniform over the disc: the square root keeps the centre from being crowded.
  const r = hotspotRadiusM * Math.sqrt(random());
  const angle = random() * 2 * Math.PI;
  return offsetMeters(place, r * Math.cos(angle), r * Math.sin(angle));
}

function pickWeighted(random: () => number, mix: readonly (readonly [string, number])[]): string {
  let x = random() * mix.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, weight] of mix) {
    x -= weight;
    if (x < 0) return value;
  }
  return mix[mix.length - 1]![0];
}
