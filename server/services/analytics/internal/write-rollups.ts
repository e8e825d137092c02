import type pg from 'pg';
import { type RollupDeltas, type RollupTable, rollupTables } from '@/domain/analytics/rollup-deltas';

const timeKeys = new Set(['hour', 'bucket']);

/**
 * Adds a batch's summed increments to the rollup tables, one statement per table. Rows are
 * written in key order, so two workers writing overlapping rows wait for each other instead of
 * deadlocking. Booking rows that fall to zero (every booking of that hour moved on to another
 * status) are deleted, so the tables hold exactly the non-zero totals, however the events were
 * batched: a rebuild reproduces them row for row.
 */
export async function writeRollups(client: pg.PoolClient, deltas: RollupDeltas): Promise<void> {
  for (const table of Object.keys(rollupTables) as RollupTable[]) {
    const rows = deltas.rows(table);
    if (rows.length === 0) continue;
    const { keys, counters } = rollupTables[table];
    const records = rows.map((r) => ({
      ...Object.fromEntries(
        Object.entries(r.key).map(([k, v]) => [k, timeKeys.has(k) ? new Date(v).toISOString() : v]),
      ),
      ...r.counts,
    }));
    const columns = [...keys, ...counters].join(', ');
    await client.query(
      `insert into ${table} as t (${columns})
       select ${columns} from jsonb_populate_recordset(null::${table}, $1::jsonb)
       on conflict (${keys.join(', ')}) do update
         set ${counters.map((c) => `${c} = t.${c} + excluded.${c}`).join(', ')}`,
      [JSON.stringify(records)],
    );
    if (table === 'analytics_bookings_hourly') {
      await client.query(
        `delete from analytics_bookings_hourly t
          using jsonb_populate_recordset(null::analytics_bookings_hourly, $1::jsonb) d
          where t.hour = d.hour and t.status = d.status and t.bookings = 0`,
        [JSON.stringify(records)],
      );
    }
  }
}
