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

  it('notifies only for an event that finds none waiting (NOTIFY serialises commits)', async () => {
    await h.postgres.pool.query('delete from outbox');
    const client = new pg.Client({ connectionString: h.databaseUrl });
    await client.connect();
    const channels: string[] = [];
    client.on('notification', (n) => channels.push(n.channel));
    await client.query('listen outbox');
    const insert = () =>
      h.postgres.pool.query("insert into outbox (topic, key, payload) values ('driverEvents', 'k', '{}')");
    // A round trip on the listening connection delivers what was sent before it.
    const heard = async () => {
      await client.query('select 1');
      return channels.splice(0).length;
    };
    await insert();
    expect(await heard()).toBe(1);
    await insert();
    await insert();
    expect(await heard()).toBe(0);
    await h.postgres.pool.query('delete from outbox');
    await insert();
    expect(await heard()).toBe(1);
    await client.end();
  });
});
