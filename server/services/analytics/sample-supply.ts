import type pg from 'pg';
import { bucketOf } from '@/domain/analytics/time-buckets';
import { inPgTransaction } from '../../infra/pg-transaction';

/**
 * Records one minute's supply (available drivers per res-7 cell, as realtime last published it to
 * the surge store) into its 5-minute bucket. Each minute has a bit in the bucket's sample row, set
 * in the same transaction: a second sample of the same minute (two workers processes, a retried
 * tick) adds nothing. Cells without drivers have no row: they count as 0 in the bucket's average.
 * Returns false when the minute had been sampled already.
 */
export async function sampleSupply(
  pool: pg.Pool,
  supply: ReadonlyMap<string, number>,
  now: number,
): Promise<boolean> {
  const bucket = new Date(bucketOf(now)).toISOString();
  const minuteBit = 1 << (Math.floor(now / 60_000) % 5);
  return inPgTransaction(pool, async (client) => {
    const { rowCount } = await client.query(
      `insert into analytics_supply_samples as s (bucket, minutes, samples) values ($1, $2, 1)
       on conflict (bucket) do update set minutes = s.minutes | excluded.minutes, samples = s.samples + 1
        where s.minutes & excluded.minutes = 0`,
      [bucket, minuteBit],
    );
    const cells = [...supply].filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : 1));
    if (rowCount && cells.length > 0) {
      await client.query(
        `insert into analytics_cell_supply as c (bucket, cell, supply_sum)
         select $1, cell, n from unnest($2::text[], $3::int[]) as u(cell, n)
         on conflict (bucket, cell) do update set supply_sum = c.supply_sum + excluded.supply_sum`,
        [bucket, cells.map(([cell]) => cell), cells.map(([, n]) => n)],
      );
    }
    return (rowCount ?? 0) > 0;
  });
}
