import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCity } from '@/domain/city';
import { haversineMeters } from '@/domain/geo';
import { roadEstimator } from '@/domain/roads/road-estimator';
import { seededRandom } from '@/domain/seeded-random';
import { loadCityRoads } from '@/server/adapters/city-roads';
import { openAuthSession } from '@/server/services/account/auth-sessions';
import type { Quote } from '@/server/services/booking/quote-trip';
import { systemClock } from '@/server/services/ports';
import { riderDoors } from '@/server/sim/rider-doors';
import { SimRiders } from '@/server/sim/sim-riders';
import { webSession } from '@/server/sim/web-session';
import type { AppProcess } from './support/app-process';
import { createRiders, ensureVehicleTypes } from './support/fixtures';
import type { Harness } from './support/harness';
import { startWebProcess, type WebProcessWorld } from './support/web-process';

/**
 * The real web process prices trips along the demo city's roads (TRAVEL_ESTIMATOR's default), and
 * simulated riders use it through the real web process (server/web/main.ts): signed in like people,
 * they quote, book and cancel through the API door, and PostgreSQL holds what they did, labels
 * included. A rider with a trip under way is refused a second one, which the simulator counts as
 * a busy rider rather than an error.
 */
let world: WebProcessWorld;
let h: Harness;
let web: AppProcess;
let env: Record<string, string>;

beforeAll(async () => {
  world = await startWebProcess('simriders');
  ({ h, web, env } = world);
  await ensureVehicleTypes(h.postgres.db);
}, 600_000);

afterAll(async () => {
  await world?.stop();
}, 120_000);

/** 08:00 in Montevideo, the morning peak. */
const morningPeak = Date.parse('2026-12-07T11:00:00Z');

const settings = () => ({
  webUrl: `http://localhost:${web.port}`,
  publicUrl: env.NEXTAUTH_URL!,
  realtimeUrl: 'http://localhost:1',
  nextAuthSecret: env.NEXTAUTH_SECRET!,
  socketTokenSecret: env.SOCKET_TOKEN_SECRET!,
  clock: systemClock,
});

describe('the web process prices by road', () => {
  it('quotes the road distance between two places, with the route to draw', async () => {
    const [account] = await createRiders(h.postgres.db, 1);
    const sessionId = await openAuthSession(h.postgres.db, account!.id, Date.now());
    const call = await webSession({ ...account!, sessionId }, 'rider', settings(), 3_600);
    const [from, to] = [demoCity.places[0]!, demoCity.places[4]!];
    const quote = await call<Quote>('pricing.quote', { pickup: from, dropoff: to, vehicleTypeId: 'economy' });
    const byRoad = roadEstimator(loadCityRoads(demoCity)).estimate(from, to);
    expect(quote.fare.distanceM).toBe(Math.round(byRoad.distanceM));
    expect(quote.fare.distanceM).toBeGreaterThan(haversineMeters(from, to) * 1.05);
    expect(quote.route!.length).toBeGreaterThan(5);
    expect(haversineMeters(quote.route![0]!, from)).toBeLessThan(1);
    expect(haversineMeters(quote.route![quote.route!.length - 1]!, to)).toBeLessThan(1);
  }, 30_000);
});

describe('simulated riders', () => {
  it('book and cancel through the API door, one trip under way per rider', async () => {
    const accounts = await createRiders(h.postgres.db, 3);
    const doors = await Promise.all(
      accounts.map(async (a) =>
        riderDoors(
          { ...a, sessionId: await openAuthSession(h.postgres.db, a.id, Date.now()) },
          settings(),
          3_600,
        ),
      ),
    );
    const errors: unknown[] = [];
    // Everyone books now (nothing scheduled) and cancels within a minute; ~6 arrivals a second.
    const riders = new SimRiders(
      doors,
      seededRandom(9),
      demoCity,
      { peakPerHour: 21_600, scheduledShare: 0, cancelShare: 1 },
      (error) => errors.push(error),
    );
    for (let s = 1; s <= 3; s++) await riders.tick(1_000, morningPeak + s * 1_000);
    expect(errors).toEqual([]);
    // Three riders, one trip under way each: the rest of the arrivals found their rider busy.
    expect(riders.counts.booked).toBe(3);
    expect(riders.counts.riderBusy).toBeGreaterThan(0);
    const booked = await h.postgres.pool.query<{ status: string; pickup_label: string; rider: string }>(
      `select status, pickup_label, rider_id as rider from bookings where rider_id = any($1)`,
      [accounts.map((a) => a.id)],
    );
    expect(booked.rows.map((r) => r.rider).sort()).toEqual(accounts.map((a) => a.id).sort());
    for (const r of booked.rows) {
      expect(r.status).toBe('requested');
      expect(r.pickup_label).toMatch(/^Near /);
    }

    // A minute later every rider has cancelled (a tick of no length: no new arrivals).
    await riders.tick(0, morningPeak + 64_000);
    expect(errors).toEqual([]);
    expect(riders.counts.cancelled).toBe(3);
    const after = await h.postgres.pool.query<{ status: string }>(
      `select status from bookings where rider_id = any($1)`,
      [accounts.map((a) => a.id)],
    );
    expect(after.rows.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  }, 60_000);
});
