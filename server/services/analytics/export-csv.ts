import type pg from 'pg';
import { z } from 'zod';
import { analyticsLimits, exportDatasets, rangeSchema, seriesSchema } from '@/domain/analytics/range';
import { DomainError } from '@/domain/errors';
import { toCsv } from './internal/csv';
import { analyticsCells } from './query-cells';
import { allDrivers } from './query-drivers';
import { analyticsSeries } from './query-series';

/** The export's query string: a dataset, the range, and for `series` its granularity and zone. */
export const exportSchema = z.object({
  dataset: z.enum(exportDatasets),
  from: z.string(),
  to: z.string(),
  granularity: z.enum(['hour', 'day']).default('day'),
  timeZone: z.string().default('UTC'),
});

const iso = (ms: number) => new Date(ms).toISOString();
const round = (n: number | null, digits = 3) => (n === null ? null : Number(n.toFixed(digits)));

function tooMany(rows: number): never {
  throw new DomainError(
    'INVALID_INPUT',
    `to: the export would have ${rows} rows, more than ${analyticsLimits.maxCsvRows}; narrow the range`,
    { field: 'to' },
  );
}

/**
 * One dataset of the dashboard as CSV. Input is validated here (errors name the field) so the
 * route stays a door. Money is in minor units of its currency, times are ISO 8601 UTC.
 */
export async function exportAnalyticsCsv(
  pool: pg.Pool,
  query: Record<string, string>,
  now: number,
): Promise<{ filename: string; csv: string }> {
  const input = exportSchema.parse(query);
  const range = rangeSchema.parse({ from: input.from, to: input.to });
  const name = `opendispatch-${input.dataset}-${iso(range.from).slice(0, 10)}-${iso(range.to).slice(0, 10)}.csv`;
  const max = analyticsLimits.maxCsvRows;
  switch (input.dataset) {
    case 'series': {
      const s = await analyticsSeries(
        pool,
        seriesSchema.parse({ ...input, range: { from: input.from, to: input.to } }),
        now,
      );
      const header = [
        'bucket',
        'bookings',
        'completed',
        'cancelled',
        'no_driver_found',
        'fulfilment_rate',
        'assign_p50_s',
        'assign_p90_s',
        'promised_eta_avg_s',
        'actual_pickup_avg_s',
        'cancellations',
        'requests',
        'unserved',
        'online_hours',
        'on_trip_hours',
        'utilisation',
        'offers',
        ...s.currencies.flatMap((c) => [`fares_${c}`, `fees_${c}`]),
      ];
      const rows = s.buckets.map((b) => [
        iso(b.at),
        b.made,
        b.completed,
        b.cancelled,
        b.noDriverFound,
        round(b.fulfilmentRate),
        b.assignP50S,
        b.assignP90S,
        round(b.promisedEtaAvgS, 1),
        round(b.actualPickupAvgS, 1),
        b.cancellations,
        b.requests,
        b.unserved,
        round(b.onlineHours),
        round(b.onTripHours),
        round(b.utilisation),
        b.offers,
        ...s.currencies.flatMap((c) => [b.fares[c] ?? 0, b.fees[c] ?? 0]),
      ]);
      return { filename: name, csv: toCsv(header, rows) };
    }
    case 'drivers': {
      const d = await allDrivers(pool, range, now, max + 1);
      if (d.total > max) tooMany(d.total);
      const header = [
        'driver_id',
        'name',
        'online_hours',
        'engaged_hours',
        'on_trip_hours',
        'utilisation',
        'offers',
        'offers_per_online_hour',
        'accepted',
        'declined',
        'expired',
        'trips',
      ];
      const rows = d.drivers.map((r) => [
        r.driverId,
        r.name,
        round(r.onlineHours),
        round(r.engagedHours),
        round(r.onTripHours),
        round(r.utilisation),
        r.offers,
        round(r.offersPerOnlineHour),
        r.accepted,
        r.declined,
        r.expired,
        r.trips,
      ]);
      return { filename: name, csv: toCsv(header, rows) };
    }
    case 'cells': {
      const c = await analyticsCells(pool, range, max + 1);
      if (c.cells.length > max) tooMany(c.cells.length);
      const rows = c.cells.map((r) => [r.cell, r.requests, r.unserved, round(r.avgSupply)]);
      return { filename: name, csv: toCsv(['cell', 'requests', 'unserved', 'avg_supply'], rows) };
    }
    case 'cell-buckets':
      return { filename: name, csv: await cellBuckets(pool, range, max) };
    case 'cancellations': {
      const { rows } = await pool.query<{
        hour: Date;
        actor: string;
        reason: string;
        cancellations: number;
        ended: number;
      }>(
        `select hour, actor, reason, cancellations, ended from analytics_cancellations_hourly
          where hour >= $1 and hour < $2 order by hour, actor, reason limit $3`,
        [iso(range.from), iso(range.to), max + 1],
      );
      if (rows.length > max) tooMany(rows.length);
      return {
        filename: name,
        csv: toCsv(
          ['hour', 'actor', 'reason', 'cancellations', 'ended_booking'],
          rows.map((r) => [r.hour.toISOString(), r.actor, r.reason, r.cancellations, r.ended]),
        ),
      };
    }
  }
}

/** Demand and average supply per cell and 5 minutes: the heatmap over time. */
async function cellBuckets(pool: pg.Pool, range: { from: number; to: number }, max: number) {
  const { rows } = await pool.query<{
    bucket: Date;
    cell: string;
    requests: number;
    unserved: number;
    avg_supply: number | null;
  }>(
    `select bucket, cell, coalesce(d.requests, 0) requests, coalesce(d.unserved, 0) unserved,
            case when s.samples > 0 then coalesce(c.supply_sum, 0)::float8 / s.samples end avg_supply
       from analytics_cell_demand d
       full join analytics_cell_supply c using (bucket, cell)
       left join analytics_supply_samples s using (bucket)
      where bucket >= $1 and bucket < $2
      order by bucket, cell limit $3`,
    [iso(range.from), iso(range.to), max + 1],
  );
  if (rows.length > max) tooMany(rows.length);
  return toCsv(
    ['bucket', 'cell', 'requests', 'unserved', 'avg_supply'],
    rows.map((r) => [r.bucket.toISOString(), r.cell, r.requests, r.unserved, round(r.avg_supply)]),
  );
}
