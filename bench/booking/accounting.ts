import type pg from 'pg';
import type { LiveIndex } from '@/server/adapters/live-index';
import type { Redis } from '@/server/infra/redis';

/**
 * What PostgreSQL (the system of record) says after the run, independently of what the clients
 * saw: double assignments, stuck bookings and drivers, and whether every offer reserved its
 * driver exactly once. Run after the drain, when no booking should be under way.
 */
export interface Invariants {
  /** Drivers holding more than one booking at once (offered or active), now. */
  driversWithTwoBookings: number;
  /** Bookings offered to one driver while assigned to another, now. */
  bookingsWithTwoDrivers: number;
  /**
   * Breaks in a driver's availability history: a change whose `from` state is not the previous
   * change's `to` (rows ordered by id, which the driver row lock serialises). A lost update,
   * e.g. two transactions reserving one driver, shows here even if the final state looks fine.
   */
  availabilityChainBreaks: number;
  /** Offers recorded on bookings vs driver reservations (`offer_sent`) recorded: equal when each offer reserved exactly one driver. */
  offersMade: number;
  offerReservations: number;
  /** Bookings offered more than once (their first offer ended without the rider cancelling). */
  reofferedBookings: number;
  /** Bookings not in a final state (cancelled, completed, no driver found), by status. */
  stuckBookings: Record<string, number>;
  /** Bench drivers not back to `available`, by state. */
  stuckDrivers: Record<string, number>;
  /** Bench drivers whose live-index state differs from PostgreSQL's. */
  indexDisagrees: number;
  outboxLeft: number;
  bookings: number;
}

export async function checkInvariants(
  pool: pg.Pool,
  redis: Redis,
  index: LiveIndex,
  driverIds: string[],
): Promise<Invariants> {
  const one = async (sql: string, values: unknown[] = []) =>
    Number((await pool.query<{ n: string }>(sql, values)).rows[0]?.n ?? 0);
  const driversWithTwoBookings = await one(`
    select count(*) as n from (
      select d from (
        select offered_driver_id as d from bookings where status = 'offered'
        union all
        select driver_id from bookings where status in ('accepted', 'arrived', 'in_progress')
      ) held where d is not null group by d having count(*) > 1
    ) doubled`);
  const bookingsWithTwoDrivers = await one(`
    select count(*) as n from bookings
    where offered_driver_id is not null and driver_id is not null and offered_driver_id <> driver_id`);
  const availabilityChainBreaks = await one(`
    select count(*) as n from (
      select from_state, lag(to_state) over (partition by driver_id order by id) as previous
      from availability_changes
    ) chain where previous is not null and previous <> from_state`);
  const offersMade = await one('select coalesce(sum(offers_made), 0) as n from bookings');
  const offerReservations = await one(
    "select count(*) as n from availability_changes where event = 'offer_sent'",
  );
  const reofferedBookings = await one('select count(*) as n from bookings where offers_made > 1');
  const bookings = await one('select count(*) as n from bookings');
  const outboxLeft = await one('select count(*) as n from outbox');
  const stuckBookings = Object.fromEntries(
    (
      await pool.query<{ status: string; n: string }>(`
        select status, count(*) as n from bookings
        where status not in ('cancelled', 'completed', 'no_driver_found') group by status`)
    ).rows.map((r) => [r.status, Number(r.n)]),
  );
  const states = await pool.query<{ id: string; availability: string }>(
    'select user_id as id, availability from drivers where user_id = any($1::uuid[])',
    [driverIds],
  );
  const stuckDrivers: Record<string, number> = {};
  for (const r of states.rows)
    if (r.availability !== 'available')
      stuckDrivers[r.availability] = (stuckDrivers[r.availability] ?? 0) + 1;
  const pipeline = redis.pipeline();
  for (const r of states.rows) pipeline.hget(index.driverKey(r.id), 'state');
  const indexed = ((await pipeline.exec()) ?? []).map(([, v]) => v as string | null);
  const indexDisagrees = states.rows.filter((r, i) => indexed[i] !== r.availability).length;
  return {
    driversWithTwoBookings,
    bookingsWithTwoDrivers,
    availabilityChainBreaks,
    offersMade,
    offerReservations,
    reofferedBookings,
    stuckBookings,
    stuckDrivers,
    indexDisagrees,
    outboxLeft,
    bookings,
  };
}

/**
 * Waits (up to `timeoutMs`) until no booking is under way and the outbox is empty, saying every
 * 10 s how many are still open. A booking whose rider never managed to cancel (refused while web
 * was over capacity) legitimately runs its course: offers time out one after another until the
 * search gives up, so the timeout must cover the dispatch policy's longest search.
 */
export async function drain(pool: pg.Pool, timeoutMs: number): Promise<number> {
  const started = Date.now();
  let toldAt = started;
  while (Date.now() - started < timeoutMs) {
    const { rows } = await pool.query<{ open: string; outbox: string }>(`
      select (select count(*) from bookings where status not in ('cancelled', 'completed', 'no_driver_found')) as open,
             (select count(*) from outbox) as outbox`);
    const open = Number(rows[0]!.open);
    const outbox = Number(rows[0]!.outbox);
    if (open === 0 && outbox === 0) break;
    if (Date.now() - toldAt >= 10_000) {
      toldAt = Date.now();
      console.log(
        `    ${Math.round((toldAt - started) / 1000)} s: ${open} bookings still under way, ${outbox} outbox rows`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return (Date.now() - started) / 1000;
}

/** This database's transaction and row counters (pg_stat_database), to divide by bookings. */
export async function pgCounters(pool: pg.Pool): Promise<{ commits: number; rowsWritten: number }> {
  // Busy backends flush their statistics about once a second: over a window of tens of seconds
  // the reading is within a few percent, which is all a per-booking figure needs.
  const { rows } = await pool.query<{ commits: string; written: string }>(`
    select xact_commit as commits, tup_inserted + tup_updated + tup_deleted as written
    from pg_stat_database where datname = current_database()`);
  return { commits: Number(rows[0]!.commits), rowsWritten: Number(rows[0]!.written) };
}
