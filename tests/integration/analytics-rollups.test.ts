import { latLngToCell } from 'h3-js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bookingCandidates, bookings } from '@/db/schema';
import type { BookingEventMessage } from '@/domain/booking-events';
import type { DriverStateEvent } from '@/domain/driver-events';
import type { EventProducer } from '@/server/infra/kafka';
import { analyticsSummary } from '@/server/services/analytics/query-summary';
import { rebuiltTables } from '@/server/services/analytics/reset-rollups';
import { type AnalyticsConsumer, startAnalyticsConsumer } from '@/workers/analytics-consumer';
import { rebuildAnalytics } from '@/workers/analytics-rebuild';
import { centre } from './support/booking-helpers';
import { createUser, ensureVehicleTypes } from './support/fixtures';
import { createHarness, type Harness, ready } from './support/harness';

/**
 * Known booking and driver event sequences go through the real Kafka into the real analytics
 * consumer; every rollup row is asserted exactly. Then every message is delivered again (nothing
 * may change), and a rebuild re-consumes both topics from the beginning while the consumer runs
 * (the rollups must come out identical, row for row).
 */
let h: Harness;
let producer: EventProducer;
let consumer: AnalyticsConsumer;

const H = Date.UTC(2030, 0, 7, 10); // a Monday, 10:00 UTC: the first hour of the fixture
const at = (hours: number, minutes = 0, seconds = 0) => H + ((hours * 60 + minutes) * 60 + seconds) * 1000;
const iso = (ms: number) => new Date(ms).toISOString();
const C1 = latLngToCell(centre.lat, centre.lng, 7);
const C2 = latLngToCell(centre.lat + 0.05, centre.lng + 0.05, 7);
const [D1, D2, D3, D4] = [1, 2, 3, 4].map(() => crypto.randomUUID()) as [string, string, string, string];

let riderId = '';
const ids = { B1: '', B2: '', B3: '', B4: '', B5: '' };

beforeAll(async () => {
  h = await createHarness('analyticsroll');
  await ensureVehicleTypes(h.postgres.db);
  riderId = (await createUser(h.postgres.db, 'rider')).id;
  for (const key of Object.keys(ids) as (keyof typeof ids)[]) ids[key] = crypto.randomUUID();
  // What dispatch recorded: the candidates whose eta_s is the pickup promised with each offer.
  for (const [id, vehicleTypeId, cell] of [
    [ids.B1, 'economy', C1],
    [ids.B2, 'economy', C1],
    [ids.B4, 'comfort', C2],
  ] as const) {
    await h.postgres.db.insert(bookings).values({
      id,
      riderId,
      vehicleTypeId,
      // Only an anchor for the candidates (foreign key); analytics reads the events, not this row.
      status: 'cancelled',
      pickupLat: centre.lat,
      pickupLng: centre.lng,
      dropoffLat: centre.lat + 0.02,
      dropoffLng: centre.lng,
      pickupCell: cell,
      fare: {},
      fareTotal: 1,
      currency: 'UYU',
      quoteId: crypto.randomUUID(),
      idempotencyKey: crypto.randomUUID(),
      requestHash: 'x',
      driverId: null,
    });
  }
  const candidate = { distanceM: 500, idleS: 0, score: 1, reason: 'nearest', outcome: 'offered' };
  await h.postgres.db.insert(bookingCandidates).values([
    { ...candidate, bookingId: ids.B1, round: 1, driverId: D1, rank: 1, etaS: 240 },
    { ...candidate, bookingId: ids.B2, round: 1, driverId: D2, rank: 1, etaS: 90 },
    { ...candidate, bookingId: ids.B2, round: 1, driverId: D3, rank: 2, etaS: 120 },
    { ...candidate, bookingId: ids.B2, round: 2, driverId: D2, rank: 1, etaS: 200 },
    { ...candidate, bookingId: ids.B4, round: 1, driverId: D3, rank: 1, etaS: 150 },
  ]);
  producer = h.kafka.producer();
  await producer.connect();
  consumer = await startAnalyticsConsumer({
    kafka: h.kafka,
    topics: h.topics,
    topicPrefix: h.topicPrefix,
    pool: h.postgres.pool,
    logger: h.logger,
    followEveryMs: 500,
  });
}, 120_000);

afterAll(async () => {
  await consumer?.close();
  await producer?.disconnect();
  await h?.cleanup();
});

type Step = [
  version: number,
  event: BookingEventMessage['event'],
  status: BookingEventMessage['status'],
  at: number,
  extra?: Partial<BookingEventMessage>,
];

function bookingEvents(
  bookingId: string,
  trip: { vehicleTypeId: string; cell: string; fare: number; scheduledFor?: number },
  steps: Step[],
): BookingEventMessage[] {
  let previous: BookingEventMessage['status'] | null = null;
  return steps.map(([version, event, status, when, extra]) => {
    const message: BookingEventMessage = {
      type: 'booking.event',
      bookingId,
      version,
      event,
      status,
      previous,
      actor: event.startsWith('rider')
        ? 'rider'
        : event.startsWith('driver') || event.startsWith('offer_') || event.startsWith('trip')
          ? 'driver'
          : 'system',
      riderId,
      driverId: null,
      offeredDriverId: null,
      formerOfferDriverId: null,
      offerExpiresAt: null,
      offerSeq: null,
      vehicleTypeId: trip.vehicleTypeId,
      pickup: { ...centre, label: null },
      dropoff: { lat: centre.lat + 0.02, lng: centre.lng, label: null },
      pickupCell: trip.cell,
      scheduledFor: trip.scheduledFor ?? null,
      fareTotal: trip.fare,
      currency: 'UYU',
      reason: null,
      at: when,
      ...extra,
    };
    previous = status;
    return message;
  });
}

const system = { actor: 'system' } as const;

/** Five bookings: completed; re-matched after a driver's cancel then cancelled by the rider with a fee; no driver; scheduled and accepted; cancelled while searching. */
function bookingFixture(): BookingEventMessage[] {
  const economy = { vehicleTypeId: 'economy', cell: C1, fare: 25_000 };
  return [
    ...bookingEvents(ids.B1, economy, [
      [1, 'requested', 'requested', at(0), { actor: 'rider' }],
      [2, 'dispatch', 'searching', at(0, 0, 1), system],
      [3, 'offer', 'offered', at(0, 0, 2), { ...system, offeredDriverId: D1 }],
      [4, 'offer_accepted', 'accepted', at(0, 0, 32), { driverId: D1 }],
      [5, 'driver_arrived', 'arrived', at(0, 5, 32), { driverId: D1 }],
      [6, 'trip_started', 'in_progress', at(0, 6), { driverId: D1 }],
      [7, 'trip_completed', 'completed', at(0, 20), { driverId: D1 }],
    ]),
    ...bookingEvents(ids.B2, { ...economy, fare: 18_000 }, [
      [1, 'requested', 'requested', at(0, 10), { actor: 'rider' }],
      [2, 'dispatch', 'searching', at(0, 10, 1), system],
      [3, 'offer', 'offered', at(0, 10, 5), { ...system, offeredDriverId: D2 }],
      [4, 'offer_declined', 'searching', at(0, 10, 15), { formerOfferDriverId: D2 }],
      [5, 'offer', 'offered', at(0, 10, 20), { ...system, offeredDriverId: D3 }],
      [6, 'offer_accepted', 'accepted', at(0, 11), { driverId: D3 }],
      [7, 'driver_cancelled', 'searching', at(0, 12), { reason: 'Car  trouble' }],
      [8, 'offer', 'offered', at(0, 12, 10), { ...system, offeredDriverId: D2 }],
      [9, 'offer_accepted', 'accepted', at(0, 12, 30), { driverId: D2 }],
      [10, 'driver_arrived', 'arrived', at(0, 15, 30), { driverId: D2 }],
      [
        11,
        'rider_cancelled',
        'cancelled',
        at(0, 16),
        { reason: '=cmd, plans changed', cancellationFee: 5_000 },
      ],
    ]),
    ...bookingEvents(ids.B3, { vehicleTypeId: 'comfort', cell: C2, fare: 30_000 }, [
      [1, 'requested', 'requested', at(1, 5), { actor: 'rider' }],
      [2, 'dispatch', 'searching', at(1, 5, 1), system],
      [3, 'no_driver', 'no_driver_found', at(1, 7), system],
    ]),
    ...bookingEvents(ids.B4, { vehicleTypeId: 'comfort', cell: C2, fare: 40_000, scheduledFor: at(2) }, [
      [1, 'scheduled', 'scheduled', at(0, 30), { actor: 'rider' }],
      [2, 'dispatch', 'searching', at(1, 50), system],
      [3, 'offer', 'offered', at(1, 50, 10), { ...system, offeredDriverId: D3 }],
      [4, 'offer_accepted', 'accepted', at(1, 51, 10), { driverId: D3 }],
    ]),
    ...bookingEvents(ids.B5, { ...economy, fare: 12_000 }, [
      [1, 'requested', 'requested', at(1, 20), { actor: 'rider' }],
      [2, 'dispatch', 'searching', at(1, 20, 1), system],
      [3, 'rider_cancelled', 'cancelled', at(1, 21)],
    ]),
  ];
}

function driverEvents(
  driverId: string,
  steps: [number, DriverStateEvent['event'], DriverStateEvent['state'], number][],
) {
  let previous: DriverStateEvent['state'] = 'offline';
  return steps.map(([version, event, state, when]): DriverStateEvent => {
    const e: DriverStateEvent = {
      type: 'driver.state',
      driverId,
      state,
      previous,
      event,
      actor: event.startsWith('go_') || event === 'pause' || event === 'resume' ? 'driver' : 'dispatch',
      vehicleTypeId: 'economy',
      vehicleId: null,
      sessionId: state === 'offline' ? null : crypto.randomUUID(),
      version,
      at: when,
    };
    previous = state;
    return e;
  });
}

/** D1 drives B1; D2 declines B2 then takes it; D3 drops B2 and later takes B4; D4's second event is missing (a gap). */
function driverFixture(): DriverStateEvent[] {
  return [
    ...driverEvents(D1, [
      [1, 'go_online', 'available', at(0)],
      [2, 'offer_sent', 'offered', at(0, 0, 2)],
      [3, 'offer_accepted', 'en_route', at(0, 0, 32)],
      [4, 'trip_started', 'on_trip', at(0, 6)],
      [5, 'trip_completed', 'available', at(0, 20)],
      [6, 'go_offline', 'offline', at(1, 30)],
    ]),
    ...driverEvents(D2, [
      [1, 'go_online', 'available', at(0, 5)],
      [2, 'offer_sent', 'offered', at(0, 10, 5)],
      [3, 'offer_declined', 'available', at(0, 10, 15)],
      [4, 'offer_sent', 'offered', at(0, 12, 10)],
      [5, 'offer_accepted', 'en_route', at(0, 12, 30)],
      [6, 'trip_cancelled', 'available', at(0, 16)],
      [7, 'pause', 'paused', at(0, 30)],
      [8, 'resume', 'available', at(0, 45)],
    ]),
    ...driverEvents(D3, [
      [1, 'go_online', 'available', at(0)],
      [2, 'offer_sent', 'offered', at(0, 10, 20)],
      [3, 'offer_accepted', 'en_route', at(0, 11)],
      [4, 'trip_cancelled', 'available', at(0, 12)],
      [5, 'offer_sent', 'offered', at(1, 50, 10)],
      [6, 'offer_accepted', 'en_route', at(1, 51, 10)],
    ]),
    ...driverEvents(D4, [
      [1, 'go_online', 'available', at(0)],
      [3, 'pause', 'paused', at(0, 20)],
      [4, 'resume', 'available', at(0, 30)],
    ]),
  ];
}

/** Sends in order (one request: per-key order holds); `twice` repeats some messages as a relay crash would. */
async function send(booking: BookingEventMessage[], driver: DriverStateEvent[]) {
  await producer.sendBatch({
    acks: -1,
    topicMessages: [
      {
        topic: h.topics.bookingEvents,
        messages: booking.map((m) => ({ key: m.bookingId, value: JSON.stringify(m) })),
      },
      {
        topic: h.topics.driverEvents,
        messages: driver.map((m) => ({ key: m.driverId, value: JSON.stringify(m) })),
      },
    ],
  });
}

/** True once the consumer's recorded offsets reach the end of every partition of both topics. */
async function caughtUp(): Promise<boolean> {
  const admin = h.kafka.admin();
  await admin.connect();
  try {
    const { rows: applied } = await h.postgres.pool.query<{
      topic: string;
      partition: number;
      next_offset: string;
    }>('select topic, partition, next_offset from analytics_offsets');
    const next = new Map(applied.map((r) => [`${r.topic}/${r.partition}`, Number(r.next_offset)]));
    for (const topic of [h.topics.bookingEvents, h.topics.driverEvents]) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        if (Number(p.high) > (next.get(`${topic}/${p.partition}`) ?? 0)) return false;
      }
    }
    return true;
  } finally {
    await admin.disconnect();
  }
}

const settled = () =>
  vi.waitFor(async () => ready('analytics caught up with both topics', await caughtUp()), {
    timeout: 60_000,
  });

/** Every Kafka-derived rollup row, canonically ordered: what "identical" means. */
async function rollupSnapshot(): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const table of rebuiltTables) {
    const { rows } = await h.postgres.pool.query<{ j: unknown }>(
      `select to_jsonb(t) j from ${table} t order by to_jsonb(t)::text`,
    );
    snapshot[table] = rows.map((r) => r.j);
  }
  return snapshot;
}

const bigints = new Set(['fares', 'fees', 'next_offset']);

/** Rows of a query, with bigint columns (pg returns them as text) as numbers. */
async function rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  return (await h.postgres.pool.query(sql)).rows.map((r: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(r).map(([k, v]) => [
        k,
        (bigints.has(k) || k.endsWith('_ms')) && v !== null ? Number(v) : v,
      ]),
    ),
  ) as T[];
}

describe('analytics rollups from Kafka', () => {
  it('folds known event sequences into exact rollups, redelivered copies included', async () => {
    const bookingsLog = bookingFixture();
    const driversLog = driverFixture();
    // Redeliveries inside the stream, as after a relay crash: B1's completion and acceptance, D2's first offer.
    const withCopies = [
      ...bookingsLog.slice(0, 7),
      bookingsLog[6]!,
      bookingsLog[3]!,
      ...bookingsLog.slice(7),
    ];
    const driverCopies = [...driversLog.slice(0, 8), driversLog[6]!, driversLog[7]!, ...driversLog.slice(8)];
    await send(withCopies, driverCopies);
    await settled();

    expect(
      await rows(`select hour, status, bookings from analytics_bookings_hourly order by hour, status`),
    ).toEqual([
      { hour: new Date(at(0)), status: 'accepted', bookings: 1 },
      { hour: new Date(at(0)), status: 'cancelled', bookings: 1 },
      { hour: new Date(at(0)), status: 'completed', bookings: 1 },
      { hour: new Date(at(1)), status: 'cancelled', bookings: 1 },
      { hour: new Date(at(1)), status: 'no_driver_found', bookings: 1 },
    ]);
    expect(await rows(`select * from analytics_revenue_hourly order by hour, vehicle_type_id`)).toEqual([
      {
        hour: new Date(at(0)),
        vehicle_type_id: 'economy',
        currency: 'UYU',
        trips: 1,
        fares: 25_000,
        fees_charged: 1,
        fees: 5_000,
      },
    ]);
    expect(await rows(`select * from analytics_cancellations_hourly order by hour, actor`)).toEqual([
      { hour: new Date(at(0)), actor: 'driver', reason: 'car trouble', cancellations: 1, ended: 0 },
      { hour: new Date(at(0)), actor: 'rider', reason: '=cmd, plans changed', cancellations: 1, ended: 1 },
      { hour: new Date(at(1)), actor: 'rider', reason: 'unspecified', cancellations: 1, ended: 1 },
    ]);
    expect(await rows(`select * from analytics_cell_demand order by bucket, cell`)).toEqual([
      { bucket: new Date(at(0)), cell: C1, requests: 1, unserved: 0 },
      { bucket: new Date(at(0, 10)), cell: C1, requests: 1, unserved: 0 },
      { bucket: new Date(at(1, 5)), cell: C2, requests: 1, unserved: 1 },
      { bucket: new Date(at(1, 20)), cell: C1, requests: 1, unserved: 0 },
      { bucket: new Date(at(1, 50)), cell: C2, requests: 1, unserved: 0 },
    ]);
    const facts = await rows<{ booking_id: string }>(
      `select booking_id, version, status, assign_ms, promised_eta_s, pickup_ms, offers, cancelled_by,
              cancellation_fee, created_at, wait_from from analytics_bookings order by created_at`,
    );
    expect(facts).toEqual([
      {
        booking_id: ids.B1,
        version: 7,
        status: 'completed',
        assign_ms: 32_000,
        promised_eta_s: 240,
        pickup_ms: 300_000,
        offers: 1,
        cancelled_by: null,
        cancellation_fee: null,
        created_at: new Date(at(0)),
        wait_from: new Date(at(0)),
      },
      {
        booking_id: ids.B2,
        version: 11,
        status: 'cancelled',
        assign_ms: 60_000,
        promised_eta_s: 200,
        pickup_ms: 180_000,
        offers: 3,
        cancelled_by: 'rider',
        cancellation_fee: 5_000,
        created_at: new Date(at(0, 10)),
        wait_from: new Date(at(0, 10)),
      },
      {
        booking_id: ids.B4,
        version: 4,
        status: 'accepted',
        assign_ms: 70_000,
        promised_eta_s: 150,
        pickup_ms: null,
        offers: 1,
        cancelled_by: null,
        cancellation_fee: null,
        created_at: new Date(at(0, 30)),
        wait_from: new Date(at(1, 50)),
      },
      {
        booking_id: ids.B3,
        version: 3,
        status: 'no_driver_found',
        assign_ms: null,
        promised_eta_s: null,
        pickup_ms: null,
        offers: 0,
        cancelled_by: null,
        cancellation_fee: null,
        created_at: new Date(at(1, 5)),
        wait_from: new Date(at(1, 5)),
      },
      {
        booking_id: ids.B5,
        version: 3,
        status: 'cancelled',
        assign_ms: null,
        promised_eta_s: null,
        pickup_ms: null,
        offers: 0,
        cancelled_by: 'rider',
        cancellation_fee: null,
        created_at: new Date(at(1, 20)),
        wait_from: new Date(at(1, 20)),
      },
    ]);

    const zero = {
      available_ms: 0,
      paused_ms: 0,
      offered_ms: 0,
      en_route_ms: 0,
      on_trip_ms: 0,
      offers: 0,
      accepted: 0,
      declined: 0,
      expired: 0,
      trips: 0,
    };
    const driverRows = await rows<{ driver_id: string }>(
      `select * from analytics_driver_hourly order by hour`,
    );
    const byDriver = (id: string) => driverRows.filter((r) => r.driver_id === id);
    // D1: every millisecond of the first hour is in some state (2 s available, 30 s ringing, …).
    expect(byDriver(D1)).toEqual([
      {
        ...zero,
        driver_id: D1,
        hour: new Date(at(0)),
        available_ms: 2_000 + 2_400_000,
        offered_ms: 30_000,
        en_route_ms: 328_000,
        on_trip_ms: 840_000,
        offers: 1,
        accepted: 1,
        trips: 1,
      },
      { ...zero, driver_id: D1, hour: new Date(at(1)), available_ms: 1_800_000 },
    ]);
    expect(byDriver(D2)).toEqual([
      {
        ...zero,
        driver_id: D2,
        hour: new Date(at(0)),
        available_ms: 305_000 + 115_000 + 840_000,
        offered_ms: 30_000,
        en_route_ms: 210_000,
        paused_ms: 900_000,
        offers: 2,
        declined: 1,
        accepted: 1,
      },
    ]);
    expect(byDriver(D3)).toEqual([
      {
        ...zero,
        driver_id: D3,
        hour: new Date(at(0)),
        available_ms: 620_000 + 2_880_000,
        offered_ms: 40_000,
        en_route_ms: 60_000,
        offers: 1,
        accepted: 1,
      },
      {
        ...zero,
        driver_id: D3,
        hour: new Date(at(1)),
        available_ms: 3_010_000,
        offered_ms: 60_000,
        offers: 1,
        accepted: 1,
      },
    ]);
    // D4's version 2 never arrived: the 20 minutes before it are not guessed; the pause is known.
    expect(byDriver(D4)).toEqual([{ ...zero, driver_id: D4, hour: new Date(at(0)), paused_ms: 600_000 }]);
    expect(
      await rows(
        `select driver_id, version, state, since from analytics_driver_cursor order by since, driver_id`,
      ),
    ).toEqual([
      { driver_id: D4, version: 4, state: 'available', since: new Date(at(0, 30)) },
      { driver_id: D2, version: 8, state: 'available', since: new Date(at(0, 45)) },
      { driver_id: D1, version: 6, state: 'offline', since: new Date(at(1, 30)) },
      { driver_id: D3, version: 6, state: 'en_route', since: new Date(at(1, 51, 10)) },
    ]);
  });

  it('answers the dashboard from the rollups: exact percentiles, rates and open driver time', async () => {
    const s = await analyticsSummary(h.postgres.pool, { from: at(0), to: at(2) }, at(2));
    expect(s.bookings).toEqual({
      made: 5,
      completed: 1,
      cancelled: 2,
      noDriverFound: 1,
      byStatus: { accepted: 1, cancelled: 2, completed: 1, no_driver_found: 1 },
    });
    expect(s.fulfilmentRate).toBe(0.2);
    expect(s.timeToAssign).toEqual({ count: 3, p50S: 60, p90S: 70 });
    expect(s.pickupEta).toEqual({
      count: 2,
      late: 1,
      promisedAvgS: 220,
      actualAvgS: 240,
      promisedP50S: 200,
      actualP50S: 180,
    });
    expect(s.cancellations.total).toBe(3);
    expect(s.cancellations.byActor).toEqual([
      { actor: 'driver', cancellations: 1, ended: 0 },
      { actor: 'rider', cancellations: 2, ended: 2 },
    ]);
    expect(s.revenue.byCurrency).toEqual([{ currency: 'UYU', trips: 1, fares: 25_000, fees: 5_000 }]);
    expect(s.demand).toEqual({ requests: 5, unserved: 1 });
    // Closed time plus the interval each online driver is in at `now` (D2, D3, D4; D1 is offline).
    const onlineMs =
      5_400_000 + (2_400_000 + 4_500_000) + (3_600_000 + 3_070_000 + 530_000) + (600_000 + 5_400_000);
    expect(s.drivers.active).toBe(4);
    expect(s.drivers.onlineHours).toBeCloseTo(onlineMs / 3_600_000, 9);
    expect(s.drivers.onTripHours).toBeCloseTo(840_000 / 3_600_000, 9);
    expect(s.drivers.utilisation).toBeCloseTo(840_000 / onlineMs, 9);
    expect(s.drivers.offers).toBe(5);
    expect(s.drivers.offersPerOnlineHour).toBeCloseTo(5 / (onlineMs / 3_600_000), 9);
    // Offers per online hour: D4 0, D1 1/1.5, D3 2/2, D2 2/1.9167; the median is between D1 and D3.
    expect(s.drivers.offersPerHourSpread?.p50).toBeCloseTo((1 / 1.5 + 1) / 2, 9);

    // A narrower range sees only its hour; the driver now offline contributes nothing open.
    const second = await analyticsSummary(h.postgres.pool, { from: at(1), to: at(2) }, at(2));
    expect(second.bookings.made).toBe(2);
    expect(second.timeToAssign).toEqual({ count: 0, p50S: null, p90S: null });
  });

  it('changes nothing when every message is delivered again', async () => {
    const { analytics_offsets: offsetsBefore, ...before } = await rollupSnapshot();
    await send(bookingFixture(), driverFixture());
    await settled();
    const { analytics_offsets: offsetsAfter, ...after } = await rollupSnapshot();
    expect(after).toEqual(before);
    // The copies were read and applied as no-ops, not missed.
    expect(offsetsAfter).not.toEqual(offsetsBefore);
  });

  it('rebuilds exactly the same rollups from the beginning of the topics, while the consumer runs', async () => {
    const before = await rollupSnapshot();
    // Damage the rollups first: only a real recomputation from the topics can restore them.
    await h.postgres.pool.query('update analytics_revenue_hourly set fares = 1');
    await h.postgres.pool.query(`delete from analytics_driver_hourly where driver_id = '${D2}'`);
    await h.postgres.pool.query(`update analytics_bookings set assign_ms = 0`);
    expect(await rollupSnapshot()).not.toEqual(before);
    const seen: number[] = [];
    const result = await rebuildAnalytics(
      {
        kafka: h.kafka,
        topics: h.topics,
        topicPrefix: h.topicPrefix,
        pool: h.postgres.pool,
        clock: h.clock,
        logger: h.logger,
      },
      (progress) => seen.push(progress.reduce((sum, p) => sum + p.done, 0)),
      { pollMs: 200, timeoutMs: 90_000 },
    );
    expect(result.generation).toBe(2);
    // Both deliveries of the fixture plus the copies: 2 × (28 + 23) + 2 + 2.
    expect(result.messages).toBe(106);
    expect(seen.at(-1)).toBe(106);
    expect(await rollupSnapshot()).toEqual(before);
    // The running consumer moved to the new generation and keeps applying new events, once each:
    // D3's pickup at 12:30 ends 38 min 50 s en route, 8 min 50 s of them in the second hour.
    await vi.waitFor(() => ready('the running consumer follows the rebuild', consumer.generation() === 2), {
      timeout: 15_000,
    });
    const started = driverEvents(D3, [[7, 'trip_started', 'on_trip', at(2, 30)]]);
    await send([], [...started, ...started]);
    await settled();
    expect(
      await rows(
        `select hour, en_route_ms from analytics_driver_hourly where driver_id = '${D3}' and hour >= '${iso(at(1))}' order by hour`,
      ),
    ).toEqual([
      { hour: new Date(at(1)), en_route_ms: 530_000 },
      { hour: new Date(at(2)), en_route_ms: 1_800_000 },
    ]);
  }, 150_000);
});
