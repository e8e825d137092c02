import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bookingEvents } from '@/db/schema';
import { defaultDispatchPolicy } from '@/domain/dispatch-policy';
import { defaultSchedulePolicy } from '@/domain/service-area';
import { bullDispatchQueue, type DispatchQueue } from '@/server/adapters/dispatch-queue';
import { assignBooking } from '@/server/services/booking/assign-booking';
import type { BookingDeps } from '@/server/services/booking/deps';
import { reconcileDispatch } from '@/server/services/booking/dispatch-scheduled';
import { saveSetting } from '@/server/services/platform/settings';
import { book, rider, statusOf } from './support/booking-helpers';
import { createRiders, ensureVehicleTypes } from './support/fixtures';
import { createHarness, type Harness, ready } from './support/harness';
import { type OwnRedis, startOwnRedis } from './support/redis-server';
import { startWorkersChild, type WorkersChild } from './support/workers-child';

/**
 * T7 (../shared/guides/reliability.md): scheduled bookings live in PostgreSQL; their delayed jobs
 * in Redis are only a convenience. The workers process is SIGKILLed and Redis restarted empty at
 * the same moment, then Redis is emptied again under the running workers: every booking is still
 * dispatched, once, and never before its time.
 */
const bookingCount = 30;
const schedule = { minLeadMs: 5_000, dispatchLeadMs: 2_000, escalateBeforeMs: 500 };
const env = { DISPATCH_RECONCILE_MS: '1000', DISPATCH_MAX_SEARCH_MS: '2000', DISPATCH_RETRY_MS: '500' };

let h: Harness;
let redis: OwnRedis;
let queue: DispatchQueue;
let workers: WorkersChild | null = null;

beforeAll(async () => {
  h = await createHarness('scheduled');
  redis = await startOwnRedis();
  await ensureVehicleTypes(h.postgres.db);
  await saveSetting(h.postgres.db, 'schedule', schedule, Date.now());
}, 60_000);
afterAll(async () => {
  await workers?.kill();
  await queue?.close();
  await redis?.stop();
  await h?.cleanup();
});

const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));

describe('T7: scheduled bookings survive a killed worker and an emptied Redis', () => {
  it('dispatches every scheduled booking exactly once, on time or as soon as it can', async () => {
    queue = bullDispatchQueue({ redisUrl: redis.url, prefix: h.redisPrefix, now: () => Date.now() });
    const deps: BookingDeps = { ...h.booking, dispatch: queue };
    workers = await startWorkersChild(h, env, { redisUrl: redis.url });

    const start = Date.now();
    const riders = await createRiders(h.postgres.db, bookingCount);
    // Pickups one second apart from start + 10 s: dispatch times from start + 8 s to start + 37 s.
    const booked = await Promise.all(
      riders.map(async (r, i) => {
        const scheduledFor = start + 10_000 + i * 1_000;
        const { booking } = await book(deps, r.id, { scheduledFor });
        expect(booking.status).toBe('scheduled');
        return { id: booking.id, dueAt: scheduledFor - schedule.dispatchLeadMs };
      }),
    );

    // Crash one: workers SIGKILLed and Redis lost together, with dispatches due while they are down.
    await sleepUntil(start + 10_000);
    await workers.kill();
    await redis.restartEmpty();
    await sleepUntil(start + 13_000);
    workers = await startWorkersChild(h, env, { redisUrl: redis.url });
    // Crash two: Redis emptied under the running workers (schedules, delayed jobs, all gone).
    await sleepUntil(start + 24_000);
    await redis.restartEmpty();

    await vi.waitFor(
      async () => {
        const { rows } = await h.postgres.pool.query<{ n: number }>(
          `select count(*)::int as n from bookings where status = 'scheduled'`,
        );
        return ready('every scheduled booking dispatched', rows[0]!.n === 0);
      },
      { timeout: 90_000 },
    );

    const { rows } = await h.postgres.pool.query<{ booking_id: string; at: Date }>(
      `select booking_id, at from booking_events where event = 'dispatch' and from_status = 'scheduled'`,
    );
    const dispatches = new Map<string, Date[]>();
    for (const r of rows) dispatches.set(r.booking_id, [...(dispatches.get(r.booking_id) ?? []), r.at]);
    const missed = booked.filter((b) => !dispatches.has(b.id));
    const twice = booked.filter((b) => (dispatches.get(b.id)?.length ?? 0) > 1);
    expect({ missed: missed.length, twice: twice.length }).toEqual({ missed: 0, twice: 0 });

    const lateness = booked.map((b) => dispatches.get(b.id)![0]!.getTime() - b.dueAt);
    // Never early; late only by the outage plus a reconcile period and a start-up.
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(-50);
    expect(Math.max(...lateness)).toBeLessThan(30_000);
    // Bookings due while nothing was down went out on time, from their delayed jobs (re-derived by
    // the reconciler after Redis was emptied at +24 s). "On time" is what a job can promise on a
    // CI machine running other suites at once: its delay, a reconcile period, and its own
    // transaction waiting for a connection; CI once measured 2.5 s. The outage's lateness is ~10×.
    const calm = booked.filter((b) => b.dueAt > start + 30_000);
    expect(calm.length).toBeGreaterThan(0);
    for (const b of calm) expect(dispatches.get(b.id)![0]!.getTime() - b.dueAt).toBeLessThan(4_000);
  }, 180_000);
});

/**
 * KNOWN GAP (a later issue rebuilds escalation): dispatchers are meant to be warned about a
 * scheduled booking still without a driver close to its pickup, but with the default policies that
 * never happens to a booking that finds nobody. Its search starts at pickup − dispatchLeadMs
 * (10 min) and gives up after maxSearchMs (2 min), so it is "no driver found" at pickup − 8 min;
 * the escalation window opens at pickup − escalateBeforeMs (3 min), and the reconciler escalates
 * only bookings still open. This test pins that behaviour on the real use cases (default settings,
 * a clock the test moves), so whoever changes it has to change this test on purpose.
 */
describe('scheduled bookings that find no driver (known gap: never escalated)', () => {
  it('KNOWN GAP: the search gives up before the escalation window opens, so the booking is never escalated', async () => {
    let now = Date.now();
    const gap = await createHarness('schedgap', { clock: { now: () => now } });
    try {
      await ensureVehicleTypes(gap.postgres.db);
      const deps = gap.booking;
      const schedule = defaultSchedulePolicy;
      const search = defaultDispatchPolicy;
      // The arithmetic behind the gap: the search is over before the window opens.
      expect(schedule.dispatchLeadMs - search.maxSearchMs).toBeGreaterThan(schedule.escalateBeforeMs);

      const pickupAt = now + 30 * 60_000;
      const { booking } = await book(deps, (await rider(gap)).id, { scheduledFor: pickupAt });
      expect(booking.status).toBe('scheduled');

      // Dispatch time: the reconciler starts the search; no driver is on duty anywhere.
      now = pickupAt - schedule.dispatchLeadMs;
      expect(await reconcileDispatch(deps)).toMatchObject({ dispatched: 1, escalated: 0 });
      expect(await assignBooking(deps, booking.id)).toBe('waiting');
      // The search's time limit: the assignment job gives up.
      now += search.maxSearchMs;
      expect(await assignBooking(deps, booking.id)).toBe('no-driver');

      // The escalation window, then the pickup time itself: nothing is escalated.
      now = pickupAt - schedule.escalateBeforeMs;
      expect(await reconcileDispatch(deps)).toMatchObject({ dispatched: 0, escalated: 0 });
      now = pickupAt;
      expect(await reconcileDispatch(deps)).toMatchObject({ dispatched: 0, escalated: 0 });

      expect(await statusOf(gap, booking.id)).toMatchObject({ status: 'no_driver_found', escalatedAt: null });
      const events = await gap.postgres.db
        .select()
        .from(bookingEvents)
        .where(eq(bookingEvents.bookingId, booking.id))
        .orderBy(asc(bookingEvents.version));
      expect(events.map((e) => `${e.event}:${e.toStatus}`)).toEqual([
        'scheduled:scheduled',
        'dispatch:searching',
        'no_driver:no_driver_found',
      ]);
    } finally {
      await gap.cleanup();
    }
  }, 60_000);
});
