import { describe, expect, it } from 'vitest';
import { demoCity } from '@/domain/city';
import { DomainError } from '@/domain/errors';
import { haversineMeters } from '@/domain/geo';
import { seededRandom } from '@/domain/seeded-random';
import { arrivals, demandShare, localHour, type PlannedTrip, planTrip } from '@/server/sim/rider-plan';
import { type RiderDoors, SimRiders } from '@/server/sim/sim-riders';

/** 08:00 in Montevideo (UTC−3), the morning peak. */
const morningPeak = Date.parse('2026-12-07T11:00:00Z');
const demand = { peakPerHour: 120, scheduledShare: 0.1, cancelShare: 0.2 };

describe('the riders’ day', () => {
  it('reads the hour in the city’s time zone', () => {
    expect(localHour(morningPeak, demoCity.timeZone)).toBe(8);
    expect(localHour(morningPeak + 90 * 60_000, demoCity.timeZone)).toBe(9.5);
  });

  it('is quiet at night, peaks morning and evening, and never jumps on the hour', () => {
    expect(demandShare(3)).toBeLessThan(0.1);
    expect(demandShare(8)).toBe(1);
    expect(demandShare(18)).toBe(1);
    expect(demandShare(7.5)).toBeCloseTo((demandShare(7) + demandShare(8)) / 2, 10);
    expect(demandShare(23.999)).toBeCloseTo(demandShare(0), 2);
  });

  it('draws arrivals whose average is the expected count', () => {
    const random = seededRandom(7);
    const draws = Array.from({ length: 20_000 }, () => arrivals(random, 0.5));
    expect(draws.reduce((a, b) => a + b, 0) / draws.length).toBeCloseTo(0.5, 1);
    expect(arrivals(random, 0)).toBe(0);
  });
});

describe('a rider’s trip', () => {
  it('goes from near one of the city’s places to near another, with the rider’s intent', () => {
    const random = seededRandom(11);
    const trips = Array.from({ length: 2_000 }, () => planTrip(random, demoCity, demand));
    const nearestPlace = (p: PlannedTrip['pickup']) =>
      Math.min(...demoCity.places.map((place) => haversineMeters(place, p)));
    for (const t of trips) {
      expect(nearestPlace(t.pickup)).toBeLessThanOrEqual(351);
      expect(nearestPlace(t.dropoff)).toBeLessThanOrEqual(351);
      expect(t.pickupLabel).not.toBe(t.dropoffLabel);
      if (t.scheduledInMs !== null) expect(t.scheduledInMs).toBeGreaterThanOrEqual(20 * 60_000);
      if (t.cancelAfterMs !== null) expect(t.cancelAfterMs).toBeLessThanOrEqual(60_000);
    }
    const share = (f: (t: PlannedTrip) => boolean) => trips.filter(f).length / trips.length;
    expect(share((t) => t.vehicleTypeId === 'economy')).toBeCloseTo(0.6, 1);
    expect(share((t) => t.scheduledInMs !== null)).toBeCloseTo(0.1, 1);
    expect(share((t) => t.cancelAfterMs !== null)).toBeCloseTo(0.2, 1);
  });

  it('is the same trip for the same seed', () => {
    expect(planTrip(seededRandom(3), demoCity, demand)).toEqual(planTrip(seededRandom(3), demoCity, demand));
  });
});

/** Doors that record what the riders ask; rider 0 always has a trip under way. */
function recordingDoors(count: number) {
  const log: string[] = [];
  let bookings = 0;
  const doors: RiderDoors[] = Array.from({ length: count }, (_, i) => ({
    quote: async (trip, scheduledFor) => {
      log.push(`quote ${i} ${trip.vehicleTypeId} ${scheduledFor === null ? 'now' : 'later'}`);
      return `token-${i}`;
    },
    book: async (token) => {
      if (i === 0) throw new DomainError('CONFLICT', 'You already have a trip under way');
      log.push(`book ${token}`);
      return `booking-${++bookings}`;
    },
    cancel: async (bookingId) => {
      log.push(`cancel ${bookingId}`);
    },
  }));
  return { doors, log };
}

describe('the simulated riders', () => {
  it('book at the peak rate through quote then book, cancel some later, and count a busy rider', async () => {
    const { doors, log } = recordingDoors(10);
    const riders = new SimRiders(doors, seededRandom(5), demoCity, demand);
    // An hour of 1 s ticks at 08:00–09:00 (shares 1 → 0.85).
    for (let s = 1; s <= 3_600; s++) await riders.tick(1_000, morningPeak + s * 1_000);
    const { booked, riderBusy, cancelled, scheduled } = riders.counts;
    // ~111 expected (120/h × the hour's mean share ~0.93); Poisson spread ±3σ ≈ ±32.
    expect(booked + riderBusy).toBeGreaterThan(79);
    expect(booked + riderBusy).toBeLessThan(143);
    // Riders take turns: rider 0 (always busy) gets a tenth of the requests.
    expect(riderBusy / (booked + riderBusy)).toBeCloseTo(0.1, 1);
    expect(scheduled).toBeGreaterThan(0);
    expect(cancelled).toBeGreaterThan(0);
    expect(riders.counts.refused).toBe(0);
    // Every booking used the token of its own quote, and every cancel names a booking made before.
    for (const line of log.filter((l) => l.startsWith('book '))) expect(line).toMatch(/^book token-[1-9]$/);
    const made = new Set<string>();
    let booking = 0;
    for (const line of log) {
      if (line.startsWith('book ')) made.add(`booking-${++booking}`);
      if (line.startsWith('cancel ')) expect(made.has(line.slice('cancel '.length))).toBe(true);
    }
  });

  it('books nothing when the demand is zero', async () => {
    const { doors, log } = recordingDoors(3);
    const riders = new SimRiders(doors, seededRandom(5), demoCity, { ...demand, peakPerHour: 0 });
    for (let s = 1; s <= 600; s++) await riders.tick(1_000, morningPeak + s * 1_000);
    expect(log).toEqual([]);
  });
});
