import type pg from 'pg';

/**
 * Runs `work` in one transaction on a client of its own, for the SQL written by hand (batches of
 * events, the outbox relay): committed when `work` returns, rolled back when it throws, and the
 * client released either way. A `work` that decides to do nothing simply returns: committing a
 * transaction that wrote nothing is the same as rolling it back.
 */
export async function inPgTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    // The error that failed the work is the one to report, not a failing rollback on a broken client.
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
