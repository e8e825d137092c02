import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bookings } from '@/db/schema';
import { bookingEventMessageSchema } from '@/domain/booking-events';
import { cancelBookingByRider } from '@/server/services/booking/cancel-booking';
import {
  type BookingRow,
  eventMessage,
  lockBooking,
  recordBookingEvent,
  transitionBooking,
} from '@/server/services/booking/internal/booking-record';
import { book } from './support/booking-helpers';
import { createRiders, ensureVehicleTypes } from './support/fixtures';
import { createHarness, type Harness, ready } from './support/harness';
import { startWorkersChild, type WorkersChild } from './support/workers-child';

/**
 * T2 (../shared/guides/reliability.md): booking events go out through the transactional outbox.
 * While bookings are created, dispatched and cancelled, the workers process (outbox relay and the
 * trip-facts projector) is SIGKILLed several times; some transactions roll back on purpose.
 * Downstream, every committed transition has exactly one effect and rolled-back ones none.
 */
/** Riders available; writing stops once every crash happened (and at least `minBookings` were tried). */
const riderCount = 800;
const minBookings = 120;
const kills = 3;

let h: Harness;
let workers: WorkersChild | null = null;
const env = {
  DISPATCH_MAX_SEARCH_MS: '3000',
  DISPATCH_RETRY_MS: '500',
  DISPATCH_STUCK_AFTER_MS: '2000',
  DISPATCH_RECONCILE_MS: '1000',
};

beforeAll(async () => {
  h = await createHarness('outboxt2');
  await ensureVehicleTypes(h.postgres.db);
}, 60_000);
afterAll(async () => {
  await workers?.kill();
  await h?.cleanup();
});

class RollBack extends Error {}

describe('T2: booking events are never lost and never phantom', () => {
  it('gives each committed transition exactly one downstream effect through relay crashes', async () => {
    const [first, ...riders] = await createRiders(h.postgres.db, riderCount + 1);
    // A committed booking whose columns the rolled-back inserts copy.
    const { booking: template } = await book(h.booking, first!.id);
    workers = await startWorkersChild(h, env);
    const rolledBackBookings = new Set<string>();
    const rolledBackCancels = new Set<string>();
    const cancelled = new Set<string>();

    // The crashes: SIGKILL the relay and projector mid-stream, then start them again.
    let writing = true;
    let crashed = false;
    const crashes = (async () => {
      let whileWriting = 0;
      for (let k = 0; k < kills; k++) {
        await new Promise((r) => setTimeout(r, 1_000));
        if (writing) whileWriting++;
        await workers!.kill();
        workers = await startWorkersChild(h, env);
      }
      crashed = true;
      return whileWriting;
    })();

    let tried = 0;
    for (let i = 0; i < riders.length && !(crashed && tried >= minBookings); i += 8) {
      tried += 8;
      await Promise.all(
        riders.slice(i, i + 8).map(async (rider, j) => {
          const n = i + j;
          if (n % 5 === 0) {
            rolledBackBookings.add(await createThenRollBack(template, rider.id));
            return;
          }
          const { booking } = await book(h.booking, rider.id);
          if (n % 5 === 1) {
            await cancelThenRollBack(booking.id, rider.id);
            rolledBackCancels.add(booking.id);
          } else if (n % 5 === 2) {
            await cancelBookingByRider(h.booking, { bookingId: booking.id, riderId: rider.id }).catch(
              () => undefined, // already ended ("no driver found"): nothing to cancel
            );
            cancelled.add(booking.id);
          }
        }),
      );
      // Paced so the writes span the crashes.
      await new Promise((r) => setTimeout(r, 300));
    }
    writing = false;
    expect(await crashes, 'every crash landed while bookings were being written').toBe(kills);

    // Everything settles: outbox drained, every booking ended, the projection caught up.
    await vi.waitFor(
      async () => {
        const { rows } = await h.postgres.pool.query<{ open: number; outbox: number; behind: number }>(
          `select (select count(*)::int from bookings where status not in ('cancelled','no_driver_found')) open,
                  (select count(*)::int from outbox) outbox,
                  (select count(*)::int from bookings b left join trip_facts f on f.booking_id = b.id
                    where f.version is distinct from b.version) behind`,
        );
        const r = rows[0]!;
        return ready(
          'bookings ended, outbox drained and trip facts caught up',
          r.open === 0 && r.outbox === 0 && r.behind === 0,
        );
      },
      { timeout: 120_000 },
    );

    // Exactly one effect per committed transition: the projector applied each version once.
    const { rows: mismatched } = await h.postgres.pool.query(
      `select b.id, b.version, f.version as facts_version, f.events_applied,
              (select count(*)::int from booking_events e where e.booking_id = b.id) as committed
         from bookings b join trip_facts f on f.booking_id = b.id
        where f.events_applied <> (select count(*) from booking_events e where e.booking_id = b.id)
           or f.status <> b.status`,
    );
    expect(mismatched).toEqual([]);
    const { rows: counts } = await h.postgres.pool.query<{ bookings: number; facts: number; events: number }>(
      `select (select count(*)::int from bookings) bookings, (select count(*)::int from trip_facts) facts,
              (select count(*)::int from booking_events) events`,
    );
    expect(counts[0]!.bookings).toBe(tried + 1 - rolledBackBookings.size);
    expect(counts[0]!.facts).toBe(counts[0]!.bookings);

    // None for rolled-back work: no facts for bookings that never committed, no cancellations that
    // never happened.
    const { rows: phantoms } = await h.postgres.pool.query(
      'select booking_id from trip_facts where booking_id = any($1::uuid[])',
      [[...rolledBackBookings]],
    );
    expect(phantoms).toEqual([]);
    const { rows: phantomCancels } = await h.postgres.pool.query(
      `select booking_id from trip_facts where booking_id = any($1::uuid[]) and cancelled_at is not null`,
      [[...rolledBackCancels]],
    );
    expect(phantomCancels).toEqual([]);

    // On Kafka itself: every committed event at least once (none lost), nothing else (none phantom).
    const log = await readTopic(h, h.topics.bookingEvents);
    const { rows: committed } = await h.postgres.pool.query<{ booking_id: string; version: number }>(
      'select booking_id, version from booking_events',
    );
    const committedKeys = new Set(committed.map((e) => `${e.booking_id}/${e.version}`));
    const published = log.map((m) => `${m.bookingId}/${m.version}`);
    expect([...committedKeys].filter((k) => !published.includes(k))).toEqual([]);
    expect(published.filter((k) => !committedKeys.has(k))).toEqual([]);
    expect(counts[0]!.events).toBe(committedKeys.size);
    // Redelivered copies (relay killed between publish and delete) exist or not; either way the
    // projection above counted each transition once.
    console.info(
      `T2: ${committedKeys.size} committed events, ${published.length} published (${published.length - committedKeys.size} redelivered), ${rolledBackBookings.size + rolledBackCancels.size} rolled back`,
    );
  }, 300_000);
});

/** A booking insert with its event and outbox row, rolled back after everything was written. */
async function createThenRollBack(template: BookingRow, riderId: string): Promise<string> {
  let id = '';
  await h.postgres.db
    .transaction(async (tx) => {
      const [row] = await tx
        .insert(bookings)
        .values({
          ...template,
          id: crypto.randomUUID(),
          riderId,
          status: 'requested',
          version: 1,
          driverId: null,
          offeredDriverId: null,
          vehicleId: null,
          idempotencyKey: crypto.randomUUID(),
          quoteId: crypto.randomUUID(),
          createdAt: new Date(),
          updatedAt: new Date(),
        })
        .returning();
      id = row!.id;
      const message = eventMessage(row!, {
        event: 'requested',
        previous: null,
        actor: 'rider',
        at: Date.now(),
      });
      await recordBookingEvent(tx, row!, message, riderId);
      throw new RollBack();
    })
    .catch((error) => {
      if (!(error instanceof RollBack)) throw error;
    });
  return id;
}

/** A rider's cancel, fully written (status, history, outbox), then rolled back. */
async function cancelThenRollBack(bookingId: string, riderId: string): Promise<void> {
  await h.postgres.db
    .transaction(async (tx) => {
      const booking = await lockBooking(tx, bookingId);
      if (booking.status !== 'cancelled' && booking.status !== 'no_driver_found') {
        await transitionBooking(tx, booking, {
          event: 'rider_cancelled',
          actor: 'rider',
          actorId: riderId,
          now: Date.now(),
        });
      }
      throw new RollBack();
    })
    .catch((error) => {
      if (!(error instanceof RollBack)) throw error;
    });
}

/** Every message on the topic, from the beginning to the current end. */
async function readTopic(h: Harness, topic: string) {
  const admin = h.kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(ends.filter((p) => Number(p.high) > 0).map((p) => [p.partition, Number(p.high)]));
  const messages: ReturnType<typeof bookingEventMessageSchema.parse>[] = [];
  if (remaining.size === 0) return messages;
  let read: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    read = resolve;
  });
  const consumer = await h.kafka.startConsumer({
    groupId: `${topic}.audit.${crypto.randomUUID()}`,
    topics: [topic],
    fromBeginning: true,
    commit: false,
    logger: h.logger,
    handle: async (batch, { partition }) => {
      for (const message of batch) {
        messages.push(bookingEventMessageSchema.parse(JSON.parse(message.value!.toString())));
        if (Number(message.offset) + 1 >= (remaining.get(partition) ?? 0)) remaining.delete(partition);
      }
      if (remaining.size === 0) read();
    },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      done,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('reading the topic took over 60 s')), 60_000);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return messages;
}
