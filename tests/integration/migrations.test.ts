import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '@/db/migrate';
import { createHarness, type Harness } from './support/harness';

let h: Harness;
beforeAll(async () => {
  h = await createHarness('migrations');
});
afterAll(() => h?.cleanup());

describe('migrations', () => {
  it('create every table, and running them again changes nothing', async () => {
    const tables = async () => {
      const client = new pg.Client({ connectionString: h.databaseUrl });
      await client.connect();
      const { rows } = await client.query<{ table_name: string }>(
        "select table_name from information_schema.tables where table_schema = 'public' order by 1",
      );
      const applied = await client.query('select count(*)::int as n from drizzle.__drizzle_migrations');
      await client.end();
      return { names: rows.map((r) => r.table_name), applied: applied.rows[0].n as number };
    };
    const before = await tables();
    expect(before.names).toEqual(
      expect.arrayContaining([
        'users',
        'auth_sessions',
        'drivers',
        'vehicles',
        'vehicle_types',
        'duty_sessions',
        'availability_changes',
        'outbox',
        'location_history',
        'fare_tables',
        'bookings',
        'booking_events',
        'booking_candidates',
        'settings',
        'trip_facts',
      ]),
    );
    await runMigrations(h.databaseUrl);
    expect(await tables()).toEqual(before);
  });

  it('install the outbox trigger that wakes the relay', async () => {
    const client = new pg.Client({ connectionString: h.databaseUrl });
    await client.connect();
    const notified = new Promise<string>((resolve) => client.on('notification', (n) => resolve(n.channel)));
    await client.query('listen outbox');
    await h.postgres.pool.query(
      "insert into outbox (topic, key, payload) values ('driverEvents', 'k', '{}')",
    );
    expect(await notified).toBe('outbox');
    await client.end();
  });
});
