import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from '@/db/schema';

export type Database = ReturnType<typeof drizzle<typeof schema>>;

export interface PostgresHandle {
  pool: pg.Pool;
  db: Database;
}

export function createPostgres(
  url: string,
  options: { max?: number; applicationName?: string } = {},
): PostgresHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'opendispatch',
    // Fail fast instead of queueing forever when the database is unreachable.
    connectionTimeoutMillis: 5_000,
    statement_timeout: 15_000,
    idleTimeoutMillis: 30_000,
  });
  return { pool, db: drizzle(pool, { schema }) };
}
