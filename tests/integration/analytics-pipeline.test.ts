import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ZodError } from 'zod';
import { demoCity } from '@/domain/city';
import { straightLineEstimator } from '@/domain/eta';
import { roadEstimator } from '@/domain/roads/road-estimator';
import type { Role } from '@/domain/roles';
import { loadCityRoads } from '@/server/adapters/city-roads';
import type { SessionUser } from '@/server/auth/session-user';
import { exportAnalyticsCsv } from '@/server/services/analytics/export-csv';
import { analyticsCells } from '@/server/services/analytics/query-cells';
import { sampleSupply } from '@/server/services/analytics/sample-supply';
import { cancelBookingByRider } from '@/server/services/booking/cancel-booking';
import { driverTripAction } from '@/server/services/booking/driver-trip-action';
import { respondToOffer } from '@/server/services/booking/respond-to-offer';
import { setAvailability } from '@/server/services/driver/set-availability';
import { away, book, centre, driverAt, rider, waitForStatus } from './support/booking-helpers';
import { createDriver, createUser, ensureVehicleTypes } from './support/fixtures';
import { createHarness, type Harness, ready } from './support/harness';
import { callerFor, httpCall, webDepsFor } from './support/trpc';
import { startWorkersChild, type WorkersChild } from './support/workers-child';

/**
 * The production wiring: real bookings through the use cases, the outbox relay and the analytics
 * consumer of the real workers process (workers/main.ts). The rollups must agree with what
 * PostgreSQL recorded (booking_events, availability_changes, booking_candidates). Then the doors:
 * the tRPC router's roles and limits, the CSV export, and the supply sampler's idempotency.
 */
let h: Harness;
let workers: WorkersChild | null = null;

beforeAll(async () => {
  h = await createHarness('analyticspipe');
  await ensureVehicleTypes(h.postgres.db);
  workers = await startWorkersChild(h);
}, 120_000);
afterAll(async () => {
  await workers?.stop();
  await h?.cleanup();
});

const ms = (d: Date) => d.getTime();
const hourOf = (at: number) => new Date(Math.floor(at / 3_600_000) * 3_600_000);

async function one<T>(sql: string, params: unknown[] = []): Promise<T> {
  return (await h.postgres.pool.query(sql, params)).rows[0] as T;
}

async function eventAt(bookingId: string, event: string): Promise<number> {
  const row = await one<{ at: Date }>('select at from booking_events where booking_id = $1 and event = $2', [
    bookingId,
    event,
  ]);
  return ms(row.at);
}

async function principal(role: Role): Promise<SessionUser> {
  const u = await createUser(h.postgres.db, role);
  return { id: u.id, email: u.email, name: u.name, role, sessionId: crypto.randomUUID() };
}

let started = 0;
const ids = { completed: '', cancelled: '', driver: '' };

describe('analytics on the production wiring', () => {
  it('counts real bookings and driver time exactly as PostgreSQL recorded them', async () => {
    started = Date.now();
    const driver = await driverAt(h, away(300));
    ids.driver = driver.id;
    const deps = h.booking;

    // A trip from request to completion.
    const first = (await book(deps, (await rider(h)).id)).booking;
    ids.completed = first.id;
    await waitForStatus(h, first.id, 'offered', 30_000);
    await respondToOffer(deps, { driverId: driver.id, bookingId: first.id, accept: true });
    for (const action of ['arrived', 'start', 'complete'] as const) {
      await driverTripAction(deps, { driverId: driver.id, bookingId: first.id, action });
    }
    // The workers process dies without a word (its consumers' last offsets maybe uncommitted) and
    // comes back: whatever Kafka redelivers must not count twice.
    await workers!.kill();
    workers = await startWorkersChild(h);
    // A rider who cancels once the driver is at the pickup pays the fee.
    const r2 = await rider(h);
    const second = (await book(deps, r2.id)).booking;
    ids.cancelled = second.id;
    await waitForStatus(h, second.id, 'offered', 30_000);
    await respondToOffer(deps, { driverId: driver.id, bookingId: second.id, accept: true });
    await driverTripAction(deps, { driverId: driver.id, bookingId: second.id, action: 'arrived' });
    await cancelBookingByRider(deps, { riderId: r2.id, bookingId: second.id, reason: 'Changed my mind' });
    await setAvailability(h.core, { driverId: driver.id, event: 'go_offline', actor: 'driver' });

    await vi.waitFor(
      async () => {
        const r = await one<{ behind: number; driver_behind: boolean }>(
          `select (select count(*)::int from bookings b left join analytics_bookings a on a.booking_id = b.id
                    where a.version is distinct from b.version) behind,
                  (select d.availability_version is distinct from c.version from drivers d
                     left join analytics_driver_cursor c on c.driver_id = d.user_id where d.user_id = $1) driver_behind`,
          [driver.id],
        );
        return ready(
          'the analytics consumer caught up with every booking and driver event',
          r.behind === 0 && !r.driver_behind,
        );
      },
      { timeout: 60_000 },
    );

    const requested1 = await eventAt(first.id, 'requested');
    const accepted1 = await eventAt(first.id, 'offer_accepted');
    const arrived1 = await eventAt(first.id, 'driver_arrived');
    const completed1 = await eventAt(first.id, 'trip_completed');
    const requested2 = await eventAt(second.id, 'requested');
    const cancelled2 = await eventAt(second.id, 'rider_cancelled');
    const eta = await one<{ eta_s: number }>(
      'select eta_s from booking_candidates where booking_id = $1 and driver_id = $2',
      [first.id, driver.id],
    );
    // The workers process ranks candidates along the city's roads (TRAVEL_ESTIMATOR's default),
    // which here differs from the straight-line guess.
    const byRoad = roadEstimator(loadCityRoads(demoCity)).estimate(away(300), centre).durationS;
    expect(Math.round(byRoad)).not.toBe(
      Math.round(straightLineEstimator().estimate(away(300), centre).durationS),
    );
    expect(eta.eta_s).toBe(Math.round(byRoad));
    expect(
      await one(
        'select status, assign_ms, promised_eta_s, pickup_ms, offers from analytics_bookings where booking_id = $1',
        [first.id],
      ),
    ).toEqual({
      status: 'completed',
      assign_ms: accepted1 - requested1,
      promised_eta_s: eta.eta_s,
      pickup_ms: arrived1 - accepted1,
      offers: 1,
    });
    expect(
      await one(
        'select status, cancelled_by, cancel_reason, cancellation_fee from analytics_bookings where booking_id = $1',
        [second.id],
      ),
    ).toEqual({
      status: 'cancelled',
      cancelled_by: 'rider',
      cancel_reason: 'Changed my mind',
      cancellation_fee: 7_000,
    });

    const hourly = (
      await h.postgres.pool.query('select hour, status, bookings from analytics_bookings_hourly')
    ).rows;
    const expected = [
      { hour: hourOf(requested1), status: 'completed', bookings: 1 },
      { hour: hourOf(requested2), status: 'cancelled', bookings: 1 },
    ];
    expect(hourly).toHaveLength(2);
    expect(hourly).toEqual(expect.arrayContaining(expected));

    const revenue = (
      await h.postgres.pool.query(
        'select hour, vehicle_type_id, trips, fares::int, fees_charged, fees::int from analytics_revenue_hourly order by hour',
      )
    ).rows;
    const fareTotal = first.fareTotal;
    if (ms(hourOf(completed1)) === ms(hourOf(cancelled2))) {
      expect(revenue).toEqual([
        {
          hour: hourOf(completed1),
          vehicle_type_id: 'economy',
          trips: 1,
          fares: fareTotal,
          fees_charged: 1,
          fees: 7_000,
        },
      ]);
    } else {
      expect(revenue).toEqual([
        {
          hour: hourOf(completed1),
          vehicle_type_id: 'economy',
          trips: 1,
          fares: fareTotal,
          fees_charged: 0,
          fees: 0,
        },
        {
          hour: hourOf(cancelled2),
          vehicle_type_id: 'economy',
          trips: 0,
          fares: 0,
          fees_charged: 1,
          fees: 7_000,
        },
      ]);
    }

    // Driver time: the whole shift (online → offline) split over states, exactly; on trip = start → complete.
    const changes = (
      await h.postgres.pool.query<{ event: string; at: Date }>(
        'select event, at from availability_changes where driver_id = $1 order by id',
        [driver.id],
      )
    ).rows;
    const atOf = (event: string) => ms(changes.find((c) => c.event === event)!.at);
    const shift = ms(changes.at(-1)!.at) - atOf('go_online');
    const totals = await one<Record<string, number>>(
      `select sum(available_ms + paused_ms + offered_ms + en_route_ms + on_trip_ms)::bigint::float8 online,
              sum(on_trip_ms)::float8 on_trip, sum(offers)::int offers, sum(accepted)::int accepted,
              sum(trips)::int trips
         from analytics_driver_hourly where driver_id = $1`,
      [driver.id],
    );
    expect(totals).toEqual({
      online: shift,
      on_trip: atOf('trip_completed') - atOf('trip_started'),
      offers: changes.filter((c) => c.event === 'offer_sent').length,
      accepted: 2,
      trips: 1,
    });
  }, 180_000);

  it('serves admins only, with limits that name the field', async () => {
    const range = {
      from: new Date(started - 3_600_000).toISOString(),
      to: new Date(Date.now() + 3_600_000).toISOString(),
    };
    const admin = callerFor(h, await principal('admin'));
    const summary = await admin.analytics.summary(range);
    expect(summary.bookings).toMatchObject({ made: 2, completed: 1, cancelled: 1 });
    expect(summary.fulfilmentRate).toBe(0.5);
    expect(summary.cancellations.byActor).toEqual([{ actor: 'rider', cancellations: 1, ended: 1 }]);
    const page = await admin.analytics.drivers({ range, pageSize: 10 });
    expect(page.total).toBe(1);
    expect(page.drivers[0]).toMatchObject({ driverId: ids.driver, trips: 1, accepted: 2 });
    const series = await admin.analytics.series({ range, granularity: 'hour' });
    expect(series.buckets.reduce((sum, b) => sum + b.made, 0)).toBe(2);
    expect(series.buckets.length).toBe(summary.range.to / 3_600_000 - summary.range.from / 3_600_000);

    for (const role of ['dispatcher', 'rider', 'driver'] as const) {
      await expect(callerFor(h, await principal(role)).analytics.summary(range)).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    }
    await expect(callerFor(h, null).analytics.summary(range)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });

    const refused = async (call: Promise<unknown>, field: string, message: RegExp) => {
      const error = await call.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe('BAD_REQUEST');
      const cause = (error as TRPCError).cause;
      expect(cause).toBeInstanceOf(ZodError);
      const issue = (cause as ZodError).issues[0]!;
      expect(issue.path.join('.')).toBe(field);
      expect(issue.message).toMatch(message);
    };
    const day = 86_400_000;
    await refused(admin.analytics.summary({ from: range.to, to: range.from }), 'to', /after from/);
    await refused(
      admin.analytics.summary({ from: new Date(Date.now() - 93 * day).toISOString(), to: range.to }),
      'to',
      /at most 92 days/,
    );
    await refused(
      admin.analytics.summary({ from: '9999-12-31T22:00:00Z', to: '9999-12-31T23:30:00Z' }),
      'to',
      /before the year 10000/,
    );
    await refused(
      admin.analytics.summary({ from: '1969-12-31T22:00:00Z', to: '1970-01-01T02:00:00Z' }),
      'from',
      /1970 or later/,
    );
    await refused(
      admin.analytics.series({
        range: { from: new Date(Date.now() - 40 * day).toISOString(), to: range.to },
        granularity: 'hour',
      }),
      'granularity',
      /at most 31 days/,
    );
    await refused(admin.analytics.drivers({ range, pageSize: 101 }), 'pageSize', /100/);
    await refused(
      admin.analytics.series({ range, granularity: 'day', timeZone: "UTC'; drop" }),
      'timeZone',
      /time zone/,
    );
  });

  it('exports CSV within its row limit, spreadsheet-safe', async () => {
    const from = new Date(started - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const drivers = await exportAnalyticsCsv(h.postgres.pool, { dataset: 'drivers', from, to }, Date.now());
    const lines = drivers.csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'driver_id,name,online_hours,engaged_hours,on_trip_hours,utilisation,offers,offers_per_online_hour,accepted,declined,expired,trips',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^${ids.driver},`));
    expect(lines[1]).toMatch(/,2,0,0,1$/);
    expect(drivers.filename).toMatch(/^opendispatch-drivers-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv$/);

    const cancellations = await exportAnalyticsCsv(
      h.postgres.pool,
      { dataset: 'cancellations', from, to },
      Date.now(),
    );
    expect(cancellations.csv).toMatch(/,rider,changed my mind,1,1\r\n$/);
    const series = await exportAnalyticsCsv(h.postgres.pool, { dataset: 'series', from, to }, Date.now());
    expect(series.csv.split('\r\n')[0]).toMatch(/^bucket,bookings,completed,.*,fares_UYU,fees_UYU$/);

    await expect(
      exportAnalyticsCsv(h.postgres.pool, { dataset: 'everything', from, to }, Date.now()),
    ).rejects.toThrow(/dataset/);
  });

  it('samples supply once per minute, however often it is asked', async () => {
    const bucket = Date.UTC(2031, 5, 1, 8, 0);
    const surge = h.booking.surge;
    await surge.writeSupply(
      new Map([
        ['872830828ffffff', 4],
        ['872830829ffffff', 1],
      ]),
    );
    expect(await sampleSupply(h.postgres.pool, await surge.supply(), bucket + 5_000)).toBe(true);
    expect(await sampleSupply(h.postgres.pool, await surge.supply(), bucket + 50_000)).toBe(false);
    await surge.writeSupply(new Map([['872830828ffffff', 2]]));
    expect(await sampleSupply(h.postgres.pool, await surge.supply(), bucket + 65_000)).toBe(true);
    const cells = await analyticsCells(h.postgres.pool, { from: bucket, to: bucket + 3_600_000 });
    expect(cells.samples).toBe(2);
    // (4 + 2) / 2 minutes and (1 + 0) / 2: a cell absent from a sample had no drivers then.
    expect(cells.cells).toEqual([
      { cell: '872830828ffffff', requests: 0, unserved: 0, avgSupply: 3 },
      { cell: '872830829ffffff', requests: 0, unserved: 0, avgSupply: 0.5 },
    ]);
  });

  it('counts no online time in a range that starts after now, and some in one that contains now', async () => {
    const d = await createDriver(h.postgres.db);
    await setAvailability(h.core, { driverId: d.id, event: 'go_online', actor: 'driver' });
    await vi.waitFor(
      async () =>
        ready(
          'the analytics consumer saw the driver go online',
          (
            await h.postgres.pool.query('select state from analytics_driver_cursor where driver_id = $1', [
              d.id,
            ])
          ).rows[0]?.state === 'available',
        ),
      { timeout: 60_000 },
    );
    const hour = 3_600_000;
    const admin = callerFor(h, await principal('admin'));
    // Starts a whole hour after now even once widened to whole hours: the open interval clips to nothing.
    const future = {
      from: new Date(Date.now() + 2 * hour).toISOString(),
      to: new Date(Date.now() + 5 * hour).toISOString(),
    };
    expect((await admin.analytics.summary(future)).drivers).toMatchObject({ active: 0, onlineHours: 0 });
    expect((await admin.analytics.drivers({ range: future })).total).toBe(0);
    const hourly = await admin.analytics.series({ range: future, granularity: 'hour' });
    expect(hourly.buckets.map((b) => b.onlineHours)).toEqual(hourly.buckets.map(() => 0));

    const current = { from: new Date(Date.now() - hour).toISOString(), to: future.to };
    const page = await admin.analytics.drivers({ range: current, pageSize: 100 });
    expect(page.drivers.find((r) => r.driverId === d.id)?.onlineHours).toBeGreaterThan(0);
    await setAvailability(h.core, { driverId: d.id, event: 'go_offline', actor: 'driver' });
  }, 90_000);

  it('refuses a time zone PostgreSQL does not know (though Intl does) by field, on both doors', async () => {
    // US/Pacific-New left tzdata in 2020: Node's ICU still accepts it, PostgreSQL does not.
    const zone = 'US/Pacific-New';
    expect(() => new Intl.DateTimeFormat('en', { timeZone: zone })).not.toThrow();
    await expect(h.postgres.pool.query(`select date_trunc('day', now(), $1)`, [zone])).rejects.toMatchObject({
      code: '22023',
    });

    const from = new Date(Date.now() - 3 * 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const admin = await principal('admin');
    const answer = await httpCall(
      webDepsFor(h),
      admin,
      'analytics.series',
      { range: { from, to }, granularity: 'day', timeZone: zone },
      'query',
    );
    expect({ status: answer.status, field: answer.error?.data.field }).toEqual({
      status: 400,
      field: 'timeZone',
    });
    expect(answer.error?.message).toMatch(/^timeZone: /);
    await expect(
      exportAnalyticsCsv(h.postgres.pool, { dataset: 'series', from, to, timeZone: zone }, Date.now()),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', details: { field: 'timeZone' } });
    // A zone both know still works.
    const kolkata = await callerFor(h, admin).analytics.series({
      range: { from, to },
      granularity: 'day',
      timeZone: 'Asia/Kolkata',
    });
    expect(kolkata.buckets.length).toBeGreaterThan(0);
  });
});
