import type pg from 'pg';
import { bookingEventMessageSchema } from '@/domain/booking-events';
import { tracerFor } from '@/server/infra/trace-context';
import { projectTripFacts } from '@/server/services/analytics/project-trip-facts';
import { startWorkerConsumer, type WorkerConsumerDeps } from './kit/start-worker-consumer';

/** Projects `booking.events` into `trip_facts` (analytics); offsets commit after the transaction. */
export function startTripFactsConsumer(deps: WorkerConsumerDeps & { pool: pg.Pool }) {
  return startWorkerConsumer(deps, {
    name: 'trip-facts',
    topics: [deps.topics.bookingEvents],
    tracer: tracerFor('workers'),
    handle: (group) => async (messages) => {
      const events = messages.flatMap((m) => {
        const parsed = bookingEventMessageSchema.safeParse(JSON.parse(m.value?.toString() ?? 'null'));
        if (parsed.success) return [parsed.data];
        // A message this version cannot read is skipped loudly, not retried forever.
        deps.logger.error(
          { offset: m.offset, issues: parsed.error.issues },
          'unreadable booking event skipped',
        );
        return [];
      });
      deps.metrics.consumed.inc({ group }, messages.length);
      await projectTripFacts(deps.pool, events, (e) => deps.metrics.bookingEvents.inc({ event: e.event }));
    },
  });
}
