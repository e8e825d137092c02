import type pg from 'pg';
import { type DriverCursor, foldDriverEvent } from '@/domain/analytics/driver-fold';
import { RollupDeltas } from '@/domain/analytics/rollup-deltas';
import type { AvailabilityState } from '@/domain/driver-availability';
import type { DriverStateEvent } from '@/domain/driver-events';
import { type BatchPosition, inAnalyticsBatch } from './analytics-batch';
import { foldEvents } from './internal/fold-events';
import { writeRollups } from './internal/write-rollups';

/**
 * Folds a batch of `driver.events` (one partition, in order) into the per-driver hourly rollup, in
 * one transaction with the batch's offset. Each driver's cursor row is locked and carries the
 * availability version last applied, so a redelivered event changes nothing. Returns how many
 * events applied, or 'stale' when a rebuild replaced this consumer's generation.
 */
export async function applyDriverEvents(
  pool: pg.Pool,
  generation: number,
  position: BatchPosition,
  events: DriverStateEvent[],
): Promise<number | 'stale'> {
  return inAnalyticsBatch(pool, generation, position, async (client) => {
    if (events.length === 0) return 0;
    const ids = [...new Set(events.map((e) => e.driverId))].sort();
    const { rows } = await client.query<{ driver_id: string; version: number; state: string; since: Date }>(
      `select driver_id, version, state, since from analytics_driver_cursor
        where driver_id = any($1::uuid[]) order by driver_id for update`,
      [ids],
    );
    const cursors = new Map<string, DriverCursor>(
      rows.map((r) => [
        r.driver_id,
        {
          driverId: r.driver_id,
          version: r.version,
          state: r.state as AvailabilityState,
          since: r.since.getTime(),
        },
      ]),
    );
    const deltas = new RollupDeltas();
    const { applied, changed: saved } = foldEvents(
      events,
      cursors,
      (e) => e.driverId,
      (cursor, e) => foldDriverEvent(cursor, e, deltas),
    );
    if (saved.length > 0) {
      await client.query(
        `insert into analytics_driver_cursor (driver_id, version, state, since)
         select * from unnest($1::uuid[], $2::int[], $3::text[], $4::timestamptz[])
         on conflict (driver_id) do update
           set version = excluded.version, state = excluded.state, since = excluded.since`,
        [
          saved.map((c) => c.driverId),
          saved.map((c) => c.version),
          saved.map((c) => c.state),
          saved.map((c) => new Date(c.since).toISOString()),
        ],
      );
    }
    await writeRollups(client, deltas);
    return applied;
  });
}
