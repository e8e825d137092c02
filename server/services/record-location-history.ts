import type pg from 'pg';
import type { LocationRecord } from '@/domain/driver-events';
import { ensureHistoryPartition } from './maintain-history-partitions';

/** Postgres: "no partition of relation found for row". */
const noPartition = '23514';

/**
 * Appends a batch of locations to the history in one statement (arrays unnested server-side:
 * one round trip, no per-row parameters). Rows already stored are skipped by the primary key, so
 * a redelivered Kafka batch inserts nothing twice. A missing daily partition is created on the
 * spot. Returns how many rows were new.
 */
export async function recordLocationHistory(
  pool: pg.Pool,
  records: readonly LocationRecord[],
): Promise<number> {
  if (records.length === 0) return 0;
  const columns = {
    driver: [] as string[],
    session: [] as string[],
    seq: [] as number[],
    recorded: [] as string[],
    received: [] as string[],
    lat: [] as number[],
    lng: [] as number[],
    accuracy: [] as (number | null)[],
    speed: [] as (number | null)[],
    heading: [] as (number | null)[],
  };
  for (const r of records) {
    columns.driver.push(r.driverId);
    columns.session.push(r.sessionId);
    columns.seq.push(r.seq);
    columns.recorded.push(new Date(r.at).toISOString());
    columns.received.push(new Date(r.receivedAt).toISOString());
    columns.lat.push(r.lat);
    columns.lng.push(r.lng);
    columns.accuracy.push(r.accuracyM ?? null);
    columns.speed.push(r.speedMps ?? null);
    columns.heading.push(r.headingDeg ?? null);
  }
  const insert = () =>
    pool.query(
      `insert into location_history
         (driver_id, session_id, seq, recorded_at, received_at, lat, lng, accuracy_m, speed_mps, heading_deg)
       select * from unnest($1::uuid[], $2::uuid[], $3::int[], $4::timestamptz[], $5::timestamptz[],
                            $6::float8[], $7::float8[], $8::real[], $9::real[], $10::real[])
       on conflict do nothing`,
      Object.values(columns),
    );
  try {
    return (await insert()).rowCount ?? 0;
  } catch (error) {
    if ((error as { code?: string }).code !== noPartition) throw error;
    for (const day of new Set(records.map((r) => Math.floor(r.at / 86_400_000)))) {
      await ensureHistoryPartition(pool, day * 86_400_000);
    }
    return (await insert()).rowCount ?? 0;
  }
}
