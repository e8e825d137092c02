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
  const listener = await options.pool.connect();
  listener.on('notification', () => wake?.());
  await listener.query('listen outbox');

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
      await listener.query('unlisten outbox').catch(() => undefined);
      listener.release();
    },
  };
}
