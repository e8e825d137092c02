import type pg from 'pg';
import type { Logger } from '@/server/infra/logger';
import { type OutboxMessage, relayOutbox } from '@/server/services/relay-outbox';

export interface RelayLoop {
  stop(): Promise<void>;
}

const idlePollMs = 1_000;
const maxBackoffMs = 5_000;

/**
 * Runs the outbox relay until stopped: woken by NOTIFY on insert (so events leave within
 * milliseconds), polling as a fallback, backing off with jitter while Kafka is down.
 */
export async function startOutboxRelay(options: {
  pool: pg.Pool;
  publish: (messages: OutboxMessage[]) => Promise<void>;
  logger: Logger;
}): Promise<RelayLoop> {
  let running = true;
  let wake: (() => void) | null = null;
  // The LISTEN connection only speeds things up (polling is the fallback): if PostgreSQL drops it,
  // log, let it go, and listen again on the next round.
  let listener: pg.PoolClient | null = null;
  const listen = async () => {
    const client = await options.pool.connect();
    client.on('notification', () => wake?.());
    client.on('error', (err) => {
      options.logger.warn({ err }, 'outbox listener connection lost; polling until it is back');
      if (listener === client) listener = null;
      client.release(err);
    });
    await client.query('listen outbox');
    listener = client;
  };
  await listen();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  const loop = (async () => {
    let failures = 0;
    while (running) {
      try {
        if (!listener) await listen();
        const relayed = await relayOutbox(options.pool, options.publish);
        failures = 0;
        if (relayed === 0) await sleep(idlePollMs);
      } catch (error) {
        failures++;
        const backoff = Math.min(maxBackoffMs, 100 * 2 ** failures) * (0.5 + Math.random() / 2);
        options.logger.warn(
          { err: error, failures, backoffMs: Math.round(backoff) },
          'outbox relay failed; retrying',
        );
        await sleep(backoff);
      }
    }
  })();

  return {
    async stop() {
      running = false;
      wake?.();
      await loop;
      const last = listener;
      listener = null;
      await last?.query('unlisten outbox').catch(() => undefined);
      last?.release();
    },
  };
}
