import type pg from 'pg';
import { type AnalyticsRange, analyticsLimits } from '@/domain/analytics/range';

/**
 * Demand and supply per H3 res-7 cell over [from, to): requests and searches without a driver
 * (from booking events), and the average number of available drivers over the sampled minutes
 * (a cell with no row in a sampled minute had none). The busiest cells first, at most `limit`.
 */
export async function analyticsCells(
  pool: pg.Pool,
  range: AnalyticsRange,
  limit: number = analyticsLimits.maxCells,
) {
  const { rows } = await pool.query<{
    cell: string;
    requests: number;
    unserved: number;
    avg_supply: number | null;
    samples: number;
    total: number;
  }>(
    `with demand as (
       select cell, sum(requests)::int requests, sum(unserved)::int unserved from analytics_cell_demand
        where bucket >= $1 and bucket < $2 group by cell),
     supply as (
       select cell, sum(supply_sum)::bigint supply_sum from analytics_cell_supply
        where bucket >= $1 and bucket < $2 group by cell),
     samples as (
       select coalesce(sum(samples), 0)::int n from analytics_supply_samples where bucket >= $1 and bucket < $2)
     select cell, coalesce(requests, 0) requests, coalesce(unserved, 0) unserved,
            case when samples.n > 0 then coalesce(supply_sum, 0)::float8 / samples.n end avg_supply,
            samples.n samples, count(*) over ()::int total
       from demand full join supply using (cell) cross join samples
      order by requests desc, avg_supply desc nulls last, cell
      limit $3`,
    [new Date(range.from).toISOString(), new Date(range.to).toISOString(), limit],
  );
  return {
    range,
    /** Supply minutes sampled in the range (0: supply unknown, e.g. realtime was not running). */
    samples: rows[0]?.samples ?? 0,
    truncated: (rows[0]?.total ?? 0) > rows.length,
    cells: rows.map((r) => ({
      cell: r.cell,
      requests: r.requests,
      unserved: r.unserved,
      avgSupply: r.avg_supply,
    })),
  };
}
export type AnalyticsCells = Awaited<ReturnType<typeof analyticsCells>>;
