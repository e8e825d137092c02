/**
 * The CTE `driver_hours`: per driver (and hour), on-duty milliseconds and offer counts in [$1, $2).
 * Closed intervals come from the hourly rollup; the interval each online driver is in right now
 * has not been credited yet (that happens at their next state change), so it is added here from
 * their cursor, up to $3 (now): a driver idle for an hour counts as online for that hour.
 * With `byHour`, the open interval is split into hours too (series); otherwise one row per driver.
 * Only a positive clipped interval counts: for a range that starts after now (or ends before the
 * interval began) start ≥ end, and that row would subtract hours.
 */
export function driverHoursCte(byHour: boolean): string {
  const openEnd = 'least($3::timestamptz, $2::timestamptz)';
  const openStart = 'greatest(c.since, $1::timestamptz)';
  const open = byHour
    ? `select c.driver_id, p.hour, c.state, p.ms
         from analytics_driver_cursor c
         cross join lateral (
           select h as hour,
                  round(extract(epoch from least(h + interval '1 hour', ${openEnd}) - greatest(h, ${openStart})) * 1000)::bigint as ms
             from generate_series(date_trunc('hour', ${openStart}, 'UTC'), ${openEnd} - interval '1 millisecond', interval '1 hour') h
         ) p
        where c.state <> 'offline' and ${openStart} < ${openEnd} and p.ms > 0`
    : `select c.driver_id, $1::timestamptz as hour, c.state,
              round(extract(epoch from ${openEnd} - ${openStart}) * 1000)::bigint as ms
         from analytics_driver_cursor c
        where c.state <> 'offline' and ${openStart} < ${openEnd}`;
  return `driver_hours as (
    select driver_id, hour,
           available_ms + paused_ms + offered_ms + en_route_ms + on_trip_ms as online_ms,
           en_route_ms + on_trip_ms as engaged_ms, on_trip_ms,
           offers, accepted, declined, expired, trips
      from analytics_driver_hourly where hour >= $1 and hour < $2
    union all
    select driver_id, hour, ms,
           case when state in ('en_route', 'on_trip') then ms else 0 end,
           case when state = 'on_trip' then ms else 0 end,
           0, 0, 0, 0, 0
      from (${open}) o
  )`;
}

/** The parameters the CTE reads: range start, range end, now. */
export const driverHoursParams = (range: { from: number; to: number }, now: number) => [
  new Date(range.from).toISOString(),
  new Date(range.to).toISOString(),
  new Date(now).toISOString(),
];
