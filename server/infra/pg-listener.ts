import pg from 'pg';
import type { Logger } from './logger';
import type { PostgresHandle } from './postgres';

export interface PgListener {
  /** True while the LISTEN is in place: every notification committed from now on will arrive. */
  readonly listening: boolean;
  close(): Promise<void>;
}

const retryMs = [250, 1_000, 2_000, 5_000];

/**
 * A dedicated connection LISTENing on `channel` (not a pool client: `pool.end()` would wait for
 * it). `onState(true)` fires once the LISTEN is acknowledged, `onState(false)` as soon as the
 * connection is lost; in between, notifications may have been missed, which is the caller's to
 * handle. Reconnects with backoff until closed or until the pool it belongs to is ended.
 */
export function listenTo(
  postgres: PostgresHandle,
  channel: string,
  handlers: { onNotification(payload: string): void; onState(listening: boolean): void },
  logger?: Logger,
): PgListener {
  let client: pg.Client | null = null;
  let listening = false;
  let closed = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  const pool = postgres.pool as pg.Pool & { ending?: boolean };

  const lost = (err?: unknown) => {
    const wasListening = listening;
    listening = false;
    client?.removeAllListeners();
    client?.on('error', () => undefined);
    client?.end().catch(() => undefined);
    client = null;
    handlers.onState(false);
    if (closed || pool.ending) return;
    if (wasListening || failures === 0)
      logger?.warn({ err, channel }, 'postgres listener lost; reconnecting');
    const delay = retryMs[Math.min(failures++, retryMs.length - 1)]!;
    timer = setTimeout(connect, delay);
    timer.unref();
  };

  const connect = async () => {
    if (closed || pool.ending) return;
    const next = new pg.Client({
      ...pool.options,
      application_name: `${pool.options.application_name ?? 'opendispatch'}-listen`,
    });
    client = next;
    next.on('error', lost);
    next.on('end', () => client === next && lost());
    next.on('notification', (message) => handlers.onNotification(message.payload ?? ''));
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (client !== next || closed) return;
      failures = 0;
      listening = true;
      handlers.onState(true);
    } catch (err) {
      if (client === next) lost(err);
    }
  };

  void connect();
  return {
    get listening() {
      return listening;
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      const last = client;
      client = null;
      listening = false;
      last?.removeAllListeners();
      last?.on('error', () => undefined);
      await last?.end().catch(() => undefined);
    },
  };
}
