import type pg from 'pg';
import type { BookingEventMessage } from '@/domain/booking-events';
import { inPgTransaction } from '../../infra/pg-transaction';

/**
 * Applies booking events to `trip_facts`, in order, in one transaction. Each event applies only if
 * it is newer than the row's version, so Kafka's redeliveries (a relay or consumer killed between
 * publishing and committing) have no effect: one committed transition, one applied event.
 * Returns how many events changed something.
 */
export async function projectTripFacts(
  pool: pg.Pool,
  events: BookingEventMessage[],
  onApplied: (event: BookingEventMessage) => void = () => undefined,
): Promise<number> {
  if (events.length === 0) return 0;
  const appliedEvents: BookingEventMessage[] = [];
  const applied = await inPgTransaction(pool, async (client) => {
    let rows = 0;
    for (const e of events) {
      const at = new Date(e.at);
      const result = await client.query(upsert, [
        e.bookingId,
        e.version,
        e.status,
        e.riderId,
        e.driverId,
        e.vehicleTypeId,
        e.pickupCell,
        e.fareTotal,
        e.currency,
        e.scheduledFor === null ? null : new Date(e.scheduledFor),
        e.event === 'requested' || e.event === 'scheduled' ? at : null,
        e.event === 'offer_accepted' ? at : null,
        e.event === 'trip_completed' ? at : null,
        e.status === 'cancelled' ? at : null,
        e.status === 'cancelled' ? e.actor : null,
        e.event === 'offer' ? 1 : 0,
        at,
      ]);
      rows += result.rowCount ?? 0;
      if (result.rowCount) appliedEvents.push(e);
    }
    return rows;
  });
  // Counted only once committed: a rolled-back batch is applied again on redelivery.
  for (const e of appliedEvents) onApplied(e);
  return applied;
}

const upsert = `
  insert into trip_facts as f (booking_id, version, events_applied, status, rider_id, driver_id,
    vehicle_type_id, pickup_cell, fare_total, currency, scheduled_for, requested_at, accepted_at,
    completed_at, cancelled_at, cancelled_by, offers, updated_at)
  values ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
  on conflict (booking_id) do update set
    version = excluded.version,
    events_applied = f.events_applied + 1,
    status = excluded.status,
    driver_id = coalesce(excluded.driver_id, f.driver_id),
    fare_total = excluded.fare_total,
    requested_at = coalesce(f.requested_at, excluded.requested_at),
    accepted_at = coalesce(excluded.accepted_at, f.accepted_at),
    completed_at = coalesce(f.completed_at, excluded.completed_at),
    cancelled_at = coalesce(f.cancelled_at, excluded.cancelled_at),
    cancelled_by = coalesce(f.cancelled_by, excluded.cancelled_by),
    offers = f.offers + excluded.offers,
    updated_at = excluded.updated_at
  where f.version < excluded.version`;
