import type pg from 'pg';
import { inPgTransaction } from '../../infra/pg-transaction';
import { ensureAnalyticsState } from './analytics-batch';

/** Everything derived from Kafka. The supply samples are not (they come from Redis): kept. */
export const rebuiltTables = [
  'analytics_offsets',
  'analytics_bookings',
  'analytics_bookings_hourly',
  'analytics_revenue_hourly',
  'analytics_cancellations_hourly',
  'analytics_cell_demand',
  'analytics_driver_hourly',
  'analytics_driver_cursor',
] as const;

/**
 * The first half of a rebuild: empties the Kafka-derived rollups and their idempotency records
 * (booking facts, driver cursors, offsets) and moves to the next generation, in one transaction.
 * Consumers of the old generation find out at their next batch (or within seconds) and move to the
 * new generation's consumer group, which reads both topics from the beginning.
 * Returns the new generation.
 */
export async function resetRollups(pool: pg.Pool, now: number): Promise<number> {
  await ensureAnalyticsState(pool);
  return inPgTransaction(pool, async (client) => {
    // Waits for batches in flight (they hold the row for share), then keeps new ones out.
    await client.query('select generation from analytics_state where id = 1 for update');
    await client.query(`truncate ${rebuiltTables.join(', ')}`);
    const { rows } = await client.query<{ generation: number }>(
      `update analytics_state set generation = generation + 1, rebuilt_at = $1 where id = 1
       returning generation`,
      [new Date(now).toISOString()],
    );
    return rows[0]!.generation;
  });
}

/** The oldest hour any rebuilt rollup holds: what a rebuild would lose if Kafka no longer has it. */
export async function oldestRollupHour(pool: pg.Pool): Promise<number | null> {
  const { rows } = await pool.query<{ oldest: Date | null }>(
    `select least((select min(hour) from analytics_bookings_hourly),
                  (select min(hour) from analytics_revenue_hourly),
                  (select min(hour) from analytics_driver_hourly)) as oldest`,
  );
  return rows[0]?.oldest?.getTime() ?? null;
}
