import type pg from 'pg';
import { unpackLocationFrame } from '@/server/infra/location-frames';
import { recordLocationHistory } from '@/server/services/location/record-location-history';
import { startWorkerConsumer, type WorkerConsumerDeps } from './kit/start-worker-consumer';

/** Persists every location from Kafka into the partitioned history; offsets commit after the insert. */
export function startLocationHistoryConsumer(deps: WorkerConsumerDeps & { pool: pg.Pool }) {
  return startWorkerConsumer(deps, {
    name: 'location-history',
    topics: [deps.topics.driverLocation],
    handle: (group) => async (messages) => {
      const records = messages.flatMap(unpackLocationFrame);
      deps.metrics.consumed.inc({ group }, records.length);
      deps.metrics.historyRows.inc(await recordLocationHistory(deps.pool, records));
    },
  });
}
