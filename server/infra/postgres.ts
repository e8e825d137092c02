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
  options: {
    max?: number;
    applicationName?: string;
    /** How long a query may wait for a free connection (default 5 s). */
    connectTimeoutMs?: number;
    onIdleError?: (error: Error) => void;
  } = {},
): PostgresHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'opendispatch',
    // Fail fast instead of queueing forever when the database is unreachable.
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    statement_timeout: 15_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection dropped by the server (restart, failover, admin kill) is emitted on the
  // pool; unhandled, that event would crash the process. The pool replaces the connection itself.
  pool.on('error', options.onIdleError ?? (() => undefined));
  return { pool, db: drizzle(pool, { schema }) };
}

/** A drizzle transaction, for use cases that must change several things atomically. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
