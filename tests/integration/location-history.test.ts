import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocationRecord } from '@/domain/driver-events';
import { maintainHistoryPartitions } from '@/server/services/location/maintain-history-partitions';
import { recordLocationHistory } from '@/server/services/location/record-location-history';
import { createHarness, type Harness } from './support/harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness('history');
});
afterAll(() => h?.cleanup());

const day = 86_400_000;
const record = (driverId: string, sessionId: string, seq: number, at: number): LocationRecord => ({
  driverId,
  sessionId,
  seq,
  at,
  lat: 12.97 + seq * 1e-5,
  lng: 77.59,
  accuracyM: 5,
  receivedAt: at + 50,
  state: 'available',
  vehicleTypeId: 'economy',
});
const count = async (where = 'true', params: unknown[] = []) =>
  Number(
    (await h.postgres.pool.query(`select count(*) from location_history where ${where}`, params)).rows[0]
      .count,
  );

describe('location history', () => {
  it('stores a batch once: a redelivered batch adds nothing', async () => {
    const driver = randomUUID();
    const session = randomUUID();
    const now = Date.now();
    const batch = Array.from({ length: 500 }, (_, i) =>
      record(driver, session, i + 1, now - 500_000 + i * 1_000),
    );
    expect(await recordLocationHistory(h.postgres.pool, batch)).toBe(500);
    expect(await recordLocationHistory(h.postgres.pool, batch)).toBe(0);
    expect(
      await recordLocationHistory(h.postgres.pool, [...batch.slice(490), record(driver, session, 501, now)]),
    ).toBe(1);
    expect(await count('driver_id = $1', [driver])).toBe(501);
  });

  it('creates a missing daily partition on demand', async () => {
    const driver = randomUUID();
    const farFuture = Date.UTC(2031, 0, 15, 12);
    expect(await recordLocationHistory(h.postgres.pool, [record(driver, randomUUID(), 1, farFuture)])).toBe(
      1,
    );
    const { rowCount } = await h.postgres.pool.query(
      "select 1 from pg_class where relname = 'location_history_20310115'",
    );
    expect(rowCount).toBe(1);
  });

  it('purges exactly the rows older than the retention period (T20)', async () => {
    const now = Date.now();
    const driver = randomUUID();
    const session = randomUUID();
    const retentionDays = 7;
    const cutoff = now - retentionDays * day;
    // Rows on both sides of the cut-off, including within the same day and a millisecond apart.
    const ages = [10 * day, 8 * day, retentionDays * day + 1, retentionDays * day - 1_000, 3 * day, 60_000];
    const rows = ages.map((age, i) => record(driver, session, i + 1, now - age));
    expect(await recordLocationHistory(h.postgres.pool, rows)).toBe(rows.length);
    const expired = rows.filter((r) => r.at < cutoff).length;
    expect(expired).toBe(3);

    const result = await maintainHistoryPartitions(h.postgres.pool, now, { retentionDays, daysAhead: 2 });
    expect(await count('driver_id = $1 and recorded_at < $2', [driver, new Date(cutoff)])).toBe(0);
    expect(await count('driver_id = $1', [driver])).toBe(rows.length - expired);
    expect(result.dropped.length).toBeGreaterThan(0);

    // Partitions for the coming days exist; running again changes nothing.
    for (let d = 0; d <= 2; d++) {
      const name = `location_history_${new Date(now + d * day).toISOString().slice(0, 10).replaceAll('-', '')}`;
      expect(
        (await h.postgres.pool.query('select 1 from pg_class where relname = $1', [name])).rowCount,
      ).toBe(1);
    }
    expect(await maintainHistoryPartitions(h.postgres.pool, now, { retentionDays, daysAhead: 2 })).toEqual({
      created: 0,
      dropped: [],
      purgedRows: 0,
    });
  });
});
