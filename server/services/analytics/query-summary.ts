import type pg from 'pg';
import type { AnalyticsRange } from '@/domain/analytics/range';
import { hourMs } from '@/domain/analytics/time-buckets';
import { driverHoursCte, driverHoursParams } from './internal/driver-time-sql';

export const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
const iso = (ms: number) => new Date(ms).toISOString();
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/**
 * The dashboard's headline numbers for bookings made in [from, to) (the cohort: their current
 * status counts) and for what happened in it (revenue, cancellations, driver time). Percentiles are
 * exact (percentile_disc over the per-booking rows), not estimated from buckets.
 */
export async function analyticsSummary(pool: pg.Pool, range: AnalyticsRange, now: number) {
  const [from, to] = [iso(range.from), iso(range.to)];
  const [statuses, timings, cancellations, revenue, drivers, demand] = await Promise.all([
    pool.query<{ status: string; n: number }>(
      `select status, sum(bookings)::int n from analytics_bookings_hourly
        where hour >= $1 and hour < $2 group by status order by status`,
      [from, to],
    ),
    pool.query(
      `select count(assign_ms)::int assigned,
              percentile_disc(0.5) within group (order by assign_ms) assign_p50,
              percentile_disc(0.9) within group (order by assign_ms) assign_p90,
              count(*) filter (where p)::int pickups,
              count(*) filter (where p and pickup_ms > promised_eta_s * 1000)::int late,
              avg(promised_eta_s) filter (where p) promised_avg,
              avg(pickup_ms) filter (where p) / 1000 actual_avg,
              percentile_disc(0.5) within group (order by promised_eta_s) filter (where p) promised_p50,
              percentile_disc(0.5) within group (order by pickup_ms) filter (where p) / 1000.0 actual_p50
         from (select *, pickup_ms is not null and promised_eta_s is not null p from analytics_bookings
                where created_at >= $1 and created_at < $2) b`,
      [from, to],
    ),
    pool.query<{ actor: string; reason: string; cancellations: number; ended: number }>(
      `select actor, reason, sum(cancellations)::int cancellations, sum(ended)::int ended
         from analytics_cancellations_hourly where hour >= $1 and hour < $2
        group by actor, reason order by cancellations desc, actor, reason`,
      [from, to],
    ),
    pool.query<{ vehicle_type_id: string; currency: string; trips: number; fares: string; fees: string }>(
      `select vehicle_type_id, currency, sum(trips)::int trips, sum(fares)::bigint fares, sum(fees)::bigint fees
         from analytics_revenue_hourly where hour >= $1 and hour < $2
        group by vehicle_type_id, currency order by currency, vehicle_type_id`,
      [from, to],
    ),
    pool.query(
      `with ${driverHoursCte(false)},
       per_driver as (select driver_id, sum(online_ms) online_ms, sum(offers) offers
                        from driver_hours group by driver_id),
       rates as (select offers / (online_ms / 3600000.0) r from per_driver where online_ms >= 3600000)
       select (select count(*)::int from per_driver where online_ms > 0) active,
              (select coalesce(sum(online_ms), 0)::bigint from driver_hours) online_ms,
              (select coalesce(sum(engaged_ms), 0)::bigint from driver_hours) engaged_ms,
              (select coalesce(sum(on_trip_ms), 0)::bigint from driver_hours) on_trip_ms,
              (select coalesce(sum(offers), 0)::int from driver_hours) offers,
              (select percentile_cont(array[0.1, 0.5, 0.9]) within group (order by r) from rates) fairness`,
      driverHoursParams(range, now),
    ),
    pool.query<{ requests: number; unserved: number }>(
      `select coalesce(sum(requests), 0)::int requests, coalesce(sum(unserved), 0)::int unserved
         from analytics_cell_demand where bucket >= $1 and bucket < $2`,
      [from, to],
    ),
  ]);

  const byStatus = Object.fromEntries(statuses.rows.map((r) => [r.status, r.n]));
  const made = statuses.rows.reduce((sum, r) => sum + r.n, 0);
  const t = timings.rows[0]!;
  const d = drivers.rows[0]!;
  const onlineMs = Number(d.online_ms);
  const fairness = (d.fairness as number[] | null) ?? null;
  const byActor = new Map<string, { actor: string; cancellations: number; ended: number }>();
  for (const c of cancellations.rows) {
    const a = byActor.get(c.actor) ?? { actor: c.actor, cancellations: 0, ended: 0 };
    a.cancellations += c.cancellations;
    a.ended += c.ended;
    byActor.set(c.actor, a);
  }
  const currencies = new Map<string, { currency: string; trips: number; fares: number; fees: number }>();
  for (const r of revenue.rows) {
    const c = currencies.get(r.currency) ?? { currency: r.currency, trips: 0, fares: 0, fees: 0 };
    c.trips += r.trips;
    c.fares += Number(r.fares);
    c.fees += Number(r.fees);
    currencies.set(r.currency, c);
  }
  const completed = byStatus.completed ?? 0;
  return {
    range: { from: range.from, to: range.to },
    bookings: {
      made,
      completed,
      cancelled: byStatus.cancelled ?? 0,
      noDriverFound: byStatus.no_driver_found ?? 0,
      byStatus,
    },
    fulfilmentRate: ratio(completed, made),
    timeToAssign: {
      count: t.assigned as number,
      p50S: t.assign_p50 === null ? null : Number(t.assign_p50) / 1000,
      p90S: t.assign_p90 === null ? null : Number(t.assign_p90) / 1000,
    },
    pickupEta: {
      count: t.pickups as number,
      late: t.late as number,
      promisedAvgS: num(t.promised_avg),
      actualAvgS: num(t.actual_avg),
      promisedP50S: num(t.promised_p50),
      actualP50S: num(t.actual_p50),
    },
    cancellations: {
      total: cancellations.rows.reduce((sum, c) => sum + c.cancellations, 0),
      byActor: [...byActor.values()],
      topReasons: cancellations.rows.slice(0, 10),
    },
    revenue: {
      byCurrency: [...currencies.values()],
      byVehicleType: revenue.rows.map((r) => ({
        vehicleTypeId: r.vehicle_type_id,
        currency: r.currency,
        trips: r.trips,
        fares: Number(r.fares),
        fees: Number(r.fees),
      })),
    },
    drivers: {
      active: d.active as number,
      onlineHours: onlineMs / hourMs,
      engagedHours: Number(d.engaged_ms) / hourMs,
      onTripHours: Number(d.on_trip_ms) / hourMs,
      /** On-trip time ÷ online time. */
      utilisation: ratio(Number(d.on_trip_ms), onlineMs),
      /** En route + on trip ÷ online. */
      engagedShare: ratio(Number(d.engaged_ms), onlineMs),
      offers: d.offers as number,
      offersPerOnlineHour: ratio(d.offers as number, onlineMs / hourMs),
      /** Offers per online hour across drivers with ≥ 1 h online: 10th, 50th, 90th percentile. */
      offersPerHourSpread: fairness ? { p10: fairness[0]!, p50: fairness[1]!, p90: fairness[2]! } : null,
    },
    demand: demand.rows[0]!,
  };
}
export type AnalyticsSummary = Awaited<ReturnType<typeof analyticsSummary>>;
