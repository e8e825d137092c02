import type pg from 'pg';
import type { TopicKey } from '../../infra/kafka';
import { inPgTransaction } from '../../infra/pg-transaction';

export interface OutboxMessage {
  topic: TopicKey;
  key: string;
  value: string;
  /** The writer's trace context (`traceparent`, `tracestate`), for the Kafka message headers. */
  headers?: Record<string, string>;
}

/**
 * Publishes the oldest outbox rows and deletes them in one transaction. An advisory lock
 * keeps a single relay active at a time, which keeps each key's events in commit order.
 * If publishing fails the transaction rolls back and the rows wait for the next attempt; if the
 * process dies after publishing but before commit, the rows are published again (consumers
 * de-duplicate by version or event id). Returns how many rows were relayed.
 */
export async function relayOutbox(
  pool: pg.Pool,
  publish: (messages: OutboxMessage[]) => Promise<void>,
  limit = 500,
): Promise<number> {
  return inPgTransaction(pool, async (client) => {
    const lock = await client.query<{ ok: boolean }>(
      "select pg_try_advisory_xact_lock(hashtext('opendispatch.outbox-relay')) as ok",
    );
    // Another relay holds the lock: nothing was written, so ending the transaction commits nothing.
    if (!lock.rows[0]?.ok) return 0;
    const { rows } = await client.query<{
      id: string;
      topic: TopicKey;
      key: string;
      payload: unknown;
      headers: Record<string, string> | null;
    }>('select id, topic, key, payload, headers from outbox order by id limit $1', [limit]);
    if (rows.length > 0) {
      await publish(
        rows.map((r) => ({
          topic: r.topic,
          key: r.key,
          value: JSON.stringify(r.payload),
          ...(r.headers ? { headers: r.headers } : {}),
        })),
      );
      await client.query('delete from outbox where id = any($1::bigint[])', [rows.map((r) => r.id)]);
    }
    return rows.length;
  });
}
