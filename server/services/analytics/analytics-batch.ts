import type pg from 'pg';
import { inPgTransaction } from '../../infra/pg-transaction';

/** Where a batch ends in its partition: recorded with the batch, so rebuild progress is exact. */
export interface BatchPosition {
  topic: string;
  partition: number;
  nextOffset: number;
}

/** Creates the single `analytics_state` row if it is missing (a fresh database). */
export async function ensureAnalyticsState(pool: pg.Pool): Promise<number> {
  await pool.query('insert into analytics_state (id, generation) values (1, 1) on conflict (id) do nothing');
  return readGeneration(pool);
}

export async function readGeneration(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ generation: number }>(
    'select generation from analytics_state where id = 1',
  );
  if (!rows[0]) throw new Error('analytics_state has no row; call ensureAnalyticsState first');
  return rows[0].generation;
}

/** The consumer group of a generation: a rebuild starts a fresh group reading from the beginning. */
export const analyticsGroupName = (generation: number) => `analytics.g${generation}`;

/**
 * Runs `apply` in one transaction with the batch's offset, if `generation` is still current.
 * The share lock on the state row is what a rebuild's update waits for, and vice versa: a batch
 * either commits before the rebuild empties the tables, or sees the new generation and is dropped
 * ('stale'); it can never write into rebuilt tables.
 */
export async function inAnalyticsBatch<T>(
  pool: pg.Pool,
  generation: number,
  position: BatchPosition,
  apply: (client: pg.PoolClient) => Promise<T>,
): Promise<T | 'stale'> {
  return inPgTransaction(pool, async (client) => {
    const { rows } = await client.query<{ generation: number }>(
      'select generation from analytics_state where id = 1 for share',
    );
    // Nothing written yet: ending the transaction releases the share lock and changes nothing.
    if (rows[0]?.generation !== generation) return 'stale' as const;
    const result = await apply(client);
    await client.query(
      `insert into analytics_offsets (topic, partition, next_offset) values ($1, $2, $3)
       on conflict (topic, partition) do update
         set next_offset = greatest(analytics_offsets.next_offset, excluded.next_offset)`,
      [position.topic, position.partition, position.nextOffset],
    );
    return result;
  });
}
