import type pg from 'pg';
import type { AnalyticsRange, DriversPageInput } from '@/domain/analytics/range';
import { hourMs } from '@/domain/analytics/time-buckets';
import { driverHoursCte, driverHoursParams } from './internal/driver-time-sql';

/** Sort keys → SQL (a whitelist: nothing from the request is spliced in). */
const orderBy: Record<DriversPageInput['sort'], string> = {
  offersPerHour: 'offers_per_hour',
  utilisation: 'utilisation',
  online: 'online_ms',
  offers: 'offers',
  trips: 'trips',
};

const perDriverSql = (order: string, paged: boolean) => `
  with ${driverHoursCte(false)},
  per_driver as (
    select driver_id, sum(online_ms)::bigint online_ms, sum(engaged_ms)::bigint engaged_ms,
           sum(on_trip_ms)::bigint on_trip_ms, sum(offers)::int offers, sum(accepted)::int accepted,
           sum(declined)::int declined, sum(expired)::int expired, sum(trips)::int trips
      from driver_hours group by driver_id
  )
  select p.*, u.name, count(*) over ()::int total,
         case when online_ms > 0 then offers / (online_ms / 3600000.0) end::float8 offers_per_hour,
         case when online_ms > 0 then on_trip_ms::float8 / online_ms end utilisation
    from per_driver p left join users u on u.id = p.driver_id
   where online_ms > 0 or offers > 0
   order by ${order} nulls last, driver_id
   ${paged ? 'limit $4 offset $5' : 'limit $4'}`;

type Row = {
  driver_id: string;
  name: string | null;
  online_ms: string;
  engaged_ms: string;
  on_trip_ms: string;
  offers: number;
  accepted: number;
  declined: number;
  expired: number;
  trips: number;
  offers_per_hour: number | null;
  utilisation: number | null;
  total: number;
};

const toDriver = (r: Row) => ({
  driverId: r.driver_id,
  name: r.name,
  onlineHours: Number(r.online_ms) / hourMs,
  engagedHours: Number(r.engaged_ms) / hourMs,
  onTripHours: Number(r.on_trip_ms) / hourMs,
  utilisation: r.utilisation,
  offers: r.offers,
  offersPerOnlineHour: r.offers_per_hour,
  accepted: r.accepted,
  declined: r.declined,
  expired: r.expired,
  trips: r.trips,
});

/**
 * Fairness across drivers, one page: online time, utilisation and offers per online hour for every
 * driver who was online or offered something in the range.
 */
export async function analyticsDrivers(pool: pg.Pool, input: DriversPageInput, now: number) {
  const { rows } = await pool.query<Row>(perDriverSql(`${orderBy[input.sort]} ${input.direction}`, true), [
    ...driverHoursParams(input.range, now),
    input.pageSize,
    (input.page - 1) * input.pageSize,
  ]);
  return {
    page: input.page,
    pageSize: input.pageSize,
    total: rows[0]?.total ?? (input.page === 1 ? 0 : await countDrivers(pool, input.range, now)),
    drivers: rows.map(toDriver),
  };
}
export type AnalyticsDrivers = Awaited<ReturnType<typeof analyticsDrivers>>;

/** Every driver of the range (for the CSV export), at most `limit`. */
export async function allDrivers(pool: pg.Pool, range: AnalyticsRange, now: number, limit: number) {
  const { rows } = await pool.query<Row>(perDriverSql('offers_per_hour desc', false), [
    ...driverHoursParams(range, now),
    limit,
  ]);
  return { total: rows[0]?.total ?? 0, drivers: rows.map(toDriver) };
}

async function countDrivers(pool: pg.Pool, range: AnalyticsRange, now: number): Promise<number> {
  return (await allDrivers(pool, range, now, 1)).total;
}
