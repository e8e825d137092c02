import { type DriverStateEvent, driverStateEventSchema } from '@/domain/driver-events';
import type { LiveIndex } from '@/server/adapters/live-index';
import { parseJson } from '@/server/infra/kafka';
import { newestLocations } from '@/server/infra/location-frames';
import { tracerFor } from '@/server/infra/trace-context';
import { applyLocationsToIndex } from '@/server/services/location/apply-locations-to-index';
import { startWorkerConsumer, type WorkerConsumerDeps } from './kit/start-worker-consumer';

/**
 * Keeps the Redis live index in step with Kafka: positions from `driver.location`, and state
 * changes from `driver.events` (which repair the index if the web process's direct write was
 * lost). Both writes are versioned, so redelivery after a crash changes nothing.
 * Positions are state: of each batch (one partition's messages, as large as the backlog, up to
 * the fetch size) only each driver's newest position is decoded and written, so a backlog costs
 * one write per driver, not one per position, and the index catches up instead of replaying.
 */
export function startLiveIndexConsumer(deps: WorkerConsumerDeps & { liveIndex: LiveIndex }) {
  return startWorkerConsumer(deps, {
    name: 'live-index',
    topics: [deps.topics.driverLocation, deps.topics.driverEvents],
    tracer: tracerFor('workers'),
    handle:
      (group) =>
      async (messages, { topic }) => {
        deps.metrics.consumed.inc({ group }, messages.length);
        if (topic === deps.topics.driverLocation) {
          const { applied } = await applyLocationsToIndex(deps, newestLocations(messages));
          deps.metrics.indexApplied.inc(applied);
          return;
        }
        const events: DriverStateEvent[] = [];
        for (const m of messages) {
          const parsed = driverStateEventSchema.safeParse(parseJson(m));
          if (parsed.success) events.push(parsed.data);
          else deps.logger.warn({ offset: m.offset, topic }, 'skipping malformed driver event');
        }
        await deps.liveIndex.setStates(
          events.map((e) => ({
            driverId: e.driverId,
            version: e.version,
            state: e.state,
            sessionId: e.sessionId,
            vehicleTypeId: e.vehicleTypeId,
            vehicleId: e.vehicleId,
            at: e.at,
          })),
        );
      },
  });
}
