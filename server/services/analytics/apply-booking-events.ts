import type pg from 'pg';
import { type BookingFacts, foldBookingEvent } from '@/domain/analytics/booking-fold';
import { RollupDeltas } from '@/domain/analytics/rollup-deltas';
import type { BookingEventMessage } from '@/domain/booking-events';
import { type BatchPosition, inAnalyticsBatch } from './analytics-batch';
import { foldEvents } from './internal/fold-events';
import { writeRollups } from './internal/write-rollups';

const timeFields = [
  'createdAt',
  'waitFrom',
  'firstAcceptedAt',
  'acceptedAt',
  'arrivedAt',
  'completedAt',
  'cancelledAt',
] as const;

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Folds a batch of `booking.events` (one partition, in order) into `analytics_bookings` and the
 * hourly rollups, in one transaction with the batch's offset. Each booking's row is locked and
 * carries the version last applied, so a redelivered event changes nothing. Returns how many events
 * applied, or 'stale' when a rebuild replaced this consumer's generation.
 */
export async function applyBookingEvents(
  pool: pg.Pool,
  generation: number,
  position: BatchPosition,
  events: BookingEventMessage[],
): Promise<number | 'stale'> {
  return inAnalyticsBatch(pool, generation, position, async (client) => {
    if (events.length === 0) return 0;
    const facts = await lockFacts(client, [...new Set(events.map((e) => e.bookingId))].sort());
    const etas = await promisedEtas(client, events);
    const deltas = new RollupDeltas();
    const { applied, changed } = foldEvents(
      events,
      facts,
      (e) => e.bookingId,
      (state, e) =>
        foldBookingEvent(state, e, deltas, (booking, driver) => etas.get(`${booking}/${driver}`) ?? null),
    );
    if (changed.length > 0) await saveFacts(client, changed);
    await writeRollups(client, deltas);
    return applied;
  });
}

async function lockFacts(client: pg.PoolClient, ids: string[]): Promise<Map<string, BookingFacts>> {
  const { rows } = await client.query<Record<string, unknown>>(
    'select * from analytics_bookings where booking_id = any($1::uuid[]) order by booking_id for update',
    [ids],
  );
  const facts = new Map<string, BookingFacts>();
  for (const row of rows) {
    const f = Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]),
    ) as Record<string, unknown>;
    for (const t of timeFields) f[t] = f[t] === null ? null : (f[t] as Date).getTime();
    facts.set(f.bookingId as string, f as unknown as BookingFacts);
  }
  return facts;
}

async function saveFacts(client: pg.PoolClient, facts: BookingFacts[]): Promise<void> {
  const records = facts.map((f) => {
    const r: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(f)) r[snake(k)] = v;
    for (const t of timeFields) r[snake(t)] = f[t] === null ? null : new Date(f[t]).toISOString();
    return r;
  });
  const columns = Object.keys(records[0]!);
  const updates = columns.filter((c) => c !== 'booking_id').map((c) => `${c} = excluded.${c}`);
  await client.query(
    `insert into analytics_bookings (${columns.join(', ')})
     select ${columns.join(', ')} from jsonb_populate_recordset(null::analytics_bookings, $1::jsonb)
     on conflict (booking_id) do update set ${updates.join(', ')}`,
    [JSON.stringify(records)],
  );
}

/**
 * The promised pickup ETA of each accepted offer: the eta_s ranked for that driver in the latest
 * search round they were in. booking_candidates rows are never rewritten, so a replay reads the
 * same values; the event does not carry the ETA (see the report on assign-booking).
 */
async function promisedEtas(client: pg.PoolClient, events: BookingEventMessage[]) {
  const accepted = events.filter((e) => e.event === 'offer_accepted' && e.driverId);
  const etas = new Map<string, number>();
  if (accepted.length === 0) return etas;
  const { rows } = await client.query<{ booking_id: string; driver_id: string; eta_s: number }>(
    `select distinct on (booking_id, driver_id) booking_id, driver_id, eta_s
       from booking_candidates
      where (booking_id, driver_id) in (select * from unnest($1::uuid[], $2::uuid[]))
      order by booking_id, driver_id, round desc`,
    [accepted.map((e) => e.bookingId), accepted.map((e) => e.driverId)],
  );
  for (const r of rows) etas.set(`${r.booking_id}/${r.driver_id}`, r.eta_s);
  return etas;
}
