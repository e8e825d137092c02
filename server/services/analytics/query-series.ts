import type pg from 'pg';
import type { SeriesInput } from '@/domain/analytics/range';
import { hourMs } from '@/domain/analytics/time-buckets';
import { DomainError } from '@/domain/errors';
import { driverHoursCte, driverHoursParams } from './internal/driver-time-sql';
import { ratio } from './query-summary';

/**
 * Buckets of the series: every UTC hour of [$1, $2), or local days of `timeZone` (each hour goes to
 * the day its middle falls in, so in half-hour zones such as Asia/Kolkata a day is not shifted). The zone is inlined: seriesSchema allows only IANA-name characters.
 */
const hoursCte = (input: SeriesInput) => `hours as (
  select h, ${input.granularity === 'hour' ? 'h' : `date_trunc('day', h + interval '30 minutes', '${input.timeZone}')`} b
    from generate_series($1::timestamptz, $2::timestamptz - interval '1 hour', interval '1 hour') h
)`;

export interface SeriesBucket {
  at: number;
  bookings: Record<string, number>;
  made: number;
  completed: number;
  cancelled: number;
  noDriverFound: number;
  fulfilmentRate: number | null;
  assignP50S: number | null;
  assignP90S: number | null;
  promisedEtaAvgS: number | null;
  actualPickupAvgS: number | null;
  fares: Record<string, number>;
  fees: Record<string, number>;
  cancellations: number;
  onlineHours: number;
  onTripHours: number;
  utilisation: number | null;
  offers: number;
  requests: number;
  unserved: number;
}

/** SQLSTATE invalid_parameter_value: what PostgreSQL answers for a time zone it does not know. */
const unknownZone = '22023';

/**
 * seriesSchema checks the zone with Intl, but PostgreSQL evaluates it, and each has its own zone
 * database (a name dropped from tzdata, such as US/Pacific-New, is still known to Intl): ask
 * PostgreSQL the same question the series asks, and refuse by field (400), not with a 500.
 */
async function requireDatabaseZone(pool: pg.Pool, timeZone: string): Promise<void> {
  try {
    await pool.query(`select date_trunc('day', now(), $1)`, [timeZone]);
  } catch (error) {
    if ((error as { code?: string }).code !== unknownZone) throw error;
    throw new DomainError('INVALID_INPUT', `timeZone: ${timeZone} is not a time zone the database knows`, {
      field: 'timeZone',
    });
  }
}

/** Time series per hour or day: bookings by status, timings, revenue, cancellations, driver time. */
export async function analyticsSeries(pool: pg.Pool, input: SeriesInput, now: number) {
  await requireDatabaseZone(pool, input.timeZone);
  const params = driverHoursParams(input.range, now);
  const hours = hoursCte(input);
  // Only the driver query reads $3 (now): PostgreSQL refuses parameters a statement does not use.
  const q = <T extends pg.QueryResultRow>(text: string) =>
    pool.query<T>(text, text.includes('$3') ? params : params.slice(0, 2));
  const [buckets, statuses, facts, revenue, cancels, drivers, demand] = await Promise.all([
    q<{ b: Date }>(`with ${hours} select distinct b from hours order by b`),
    q<{ b: Date; status: string; n: number }>(
      `with ${hours} select b, status, sum(bookings)::int n
         from hours join analytics_bookings_hourly x on x.hour = hours.h group by b, status`,
    ),
    q<{ b: Date; p50: string | null; p90: string | null; promised: string | null; actual: string | null }>(
      `with ${hours} select b,
              percentile_disc(0.5) within group (order by assign_ms) p50,
              percentile_disc(0.9) within group (order by assign_ms) p90,
              avg(promised_eta_s) filter (where pickup_ms is not null and promised_eta_s is not null) promised,
              avg(pickup_ms) filter (where pickup_ms is not null and promised_eta_s is not null) / 1000 actual
         from analytics_bookings f join hours on hours.h = date_trunc('hour', f.created_at, 'UTC')
        where f.created_at >= $1 and f.created_at < $2 group by b`,
    ),
    q<{ b: Date; currency: string; fares: string; fees: string }>(
      `with ${hours} select b, currency, sum(fares)::bigint fares, sum(fees)::bigint fees
         from hours join analytics_revenue_hourly x on x.hour = hours.h group by b, currency`,
    ),
    q<{ b: Date; n: number }>(
      `with ${hours} select b, sum(cancellations)::int n
         from hours join analytics_cancellations_hourly x on x.hour = hours.h group by b`,
    ),
    q<{ b: Date; online_ms: string; on_trip_ms: string; offers: number }>(
      `with ${hours}, ${driverHoursCte(true)}
       select b, sum(online_ms)::bigint online_ms, sum(on_trip_ms)::bigint on_trip_ms, sum(offers)::int offers
         from hours join driver_hours d on d.hour = hours.h group by b`,
    ),
    q<{ b: Date; requests: number; unserved: number }>(
      `with ${hours} select b, sum(requests)::int requests, sum(unserved)::int unserved
         from hours join analytics_cell_demand x on date_trunc('hour', x.bucket, 'UTC') = hours.h
        where x.bucket >= $1 and x.bucket < $2 group by b`,
    ),
  ]);

  const out = new Map<number, SeriesBucket>(
    buckets.rows.map((r) => [r.b.getTime(), emptyBucket(r.b.getTime())]),
  );
  const at = (b: Date) => out.get(b.getTime())!;
  for (const r of statuses.rows) at(r.b).bookings[r.status] = r.n;
  for (const r of facts.rows) {
    const s = at(r.b);
    s.assignP50S = r.p50 === null ? null : Number(r.p50) / 1000;
    s.assignP90S = r.p90 === null ? null : Number(r.p90) / 1000;
    s.promisedEtaAvgS = r.promised === null ? null : Number(r.promised);
    s.actualPickupAvgS = r.actual === null ? null : Number(r.actual);
  }
  const currencies = new Set<string>();
  for (const r of revenue.rows) {
    currencies.add(r.currency);
    at(r.b).fares[r.currency] = Number(r.fares);
    at(r.b).fees[r.currency] = Number(r.fees);
  }
  for (const r of cancels.rows) at(r.b).cancellations = r.n;
  for (const r of drivers.rows) {
    const s = at(r.b);
    s.onlineHours = Number(r.online_ms) / hourMs;
    s.onTripHours = Number(r.on_trip_ms) / hourMs;
    s.utilisation = ratio(Number(r.on_trip_ms), Number(r.online_ms));
    s.offers = r.offers;
  }
  for (const r of demand.rows) Object.assign(at(r.b), { requests: r.requests, unserved: r.unserved });
  for (const s of out.values()) {
    s.made = Object.values(s.bookings).reduce((sum, n) => sum + n, 0);
    s.completed = s.bookings.completed ?? 0;
    s.cancelled = s.bookings.cancelled ?? 0;
    s.noDriverFound = s.bookings.no_driver_found ?? 0;
    s.fulfilmentRate = ratio(s.completed, s.made);
  }
  return {
    granularity: input.granularity,
    timeZone: input.timeZone,
    range: input.range,
    currencies: [...currencies].sort(),
    buckets: [...out.values()],
  };
}
export type AnalyticsSeries = Awaited<ReturnType<typeof analyticsSeries>>;

function emptyBucket(at: number): SeriesBucket {
  return {
    at,
    bookings: {},
    made: 0,
    completed: 0,
    cancelled: 0,
    noDriverFound: 0,
    fulfilmentRate: null,
    assignP50S: null,
    assignP90S: null,
    promisedEtaAvgS: null,
    actualPickupAvgS: null,
    fares: {},
    fees: {},
    cancellations: 0,
    onlineHours: 0,
    onTripHours: 0,
    utilisation: null,
    offers: 0,
    requests: 0,
    unserved: 0,
  };
}
