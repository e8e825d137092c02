import type pg from 'pg';

const dayMs = 86_400_000;

export interface RetentionPolicy {
  /** Locations older than this many days are deleted. */
  retentionDays: number;
  /** Daily partitions created ahead of today. */
  daysAhead: number;
}

export const defaultRetentionPolicy: RetentionPolicy = { retentionDays: 30, daysAhead: 3 };

const partitionName = (dayStartMs: number) =>
  `location_history_${new Date(dayStartMs).toISOString().slice(0, 10).replaceAll('-', '')}`;
const utcDay = (ms: number) => Math.floor(ms / dayMs) * dayMs;

/** Creates the daily partition holding `atMs` if it does not exist (idempotent, race-safe). */
export async function ensureHistoryPartition(pool: pg.Pool, atMs: number): Promise<void> {
  const start = utcDay(atMs);
  const name = partitionName(start);
  try {
    await pool.query(
      `create table if not exists ${name} partition of location_history for values from ('${new Date(start).toISOString()}') to ('${new Date(start + dayMs).toISOString()}')`,
    );
  } catch (error) {
    // Two workers creating the same partition at once: the loser sees a duplicate; that is fine.
    const code = (error as { code?: string }).code;
    if (code !== '42P07' && code !== '23505') throw error;
  }
}

/**
 * Keeps the history's partitions in shape: today's and the next few days' exist; partitions
 * wholly older than the retention cut-off are dropped; rows older than the cut-off in the
 * partition that straddles it are deleted. After it runs, no row older than the cut-off remains
 * and no newer row was touched.
 */
export async function maintainHistoryPartitions(
  pool: pg.Pool,
  nowMs: number,
  policy: RetentionPolicy = defaultRetentionPolicy,
): Promise<{ created: number; dropped: string[]; purgedRows: number }> {
  let created = 0;
  for (let d = 0; d <= policy.daysAhead; d++) {
    const before = await partitionExists(pool, partitionName(utcDay(nowMs + d * dayMs)));
    await ensureHistoryPartition(pool, nowMs + d * dayMs);
    if (!before) created++;
  }
  const cutoff = nowMs - policy.retentionDays * dayMs;
  const { rows } = await pool.query<{ name: string }>(
    `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'location_history'::regclass`,
  );
  const dropped: string[] = [];
  for (const { name } of rows) {
    const day = /^location_history_(\d{4})(\d{2})(\d{2})$/.exec(name);
    if (!day) continue;
    const end = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])) + dayMs;
    if (end <= cutoff) {
      await pool.query(`drop table if exists ${name}`);
      dropped.push(name);
    }
  }
  const purged = await pool.query('delete from location_history where recorded_at < $1', [new Date(cutoff)]);
  return { created, dropped, purgedRows: purged.rowCount ?? 0 };
}

async function partitionExists(pool: pg.Pool, name: string): Promise<boolean> {
  const { rowCount } = await pool.query('select 1 from pg_class where relname = $1', [name]);
  return (rowCount ?? 0) > 0;
}
