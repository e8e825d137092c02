import type pg from 'pg';
import { unpackLocationFrame } from '@/server/infra/location-frames';
import { recordLocationHistory } from '@/server/services/location/record-location-history';
import { startWorkerConsumer, type WorkerConsumerDeps } from './kit/start-worker-consumer';

/**
 * Persists every location from Kafka into the partitioned history; offsets commit after the
 * insert. History takes every acknowledged position (unlike the live path, which keeps only each
 * driver's newest) and may lag under overload: how much is `od_location_history_lag_seconds`.
 */
export function startLocationHistoryConsumer(deps: WorkerConsumerDeps & { pool: pg.Pool }) {
  return startWorkerConsumer(deps, {
    name: 'location-history',
    topics: [deps.topics.driverLocation],
    handle: (group) => async (messages) => {
      const records = messages.flatMap(unpackLocationFrame);
      deps.metrics.consumed.inc({ group }, records.length);
      deps.metrics.historyRows.inc(await recordLocationHistory(deps.pool, records));
      let oldest = Number.POSITIVE_INFINITY;
      for (const r of records) if (r.receivedAt < oldest) oldest = r.receivedAt;
      if (records.length > 0) deps.metrics.historyLagSeconds.set(Math.max(0, Date.now() - oldest) / 1000);
    },
  });
}
