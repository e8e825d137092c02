import type { Tracer } from '@opentelemetry/api';
import { bookingEventMessageSchema } from '@/domain/booking-events';
import type { DriverStateEvent } from '@/domain/driver-events';
import type { KafkaPort } from '../infra/kafka';
import { groupId, parseJson, startConsumer, startMessageSpan, type TopicNames } from '../infra/kafka';
import { newestLocations } from '../infra/location-frames';
import type { Logger } from '../infra/logger';
import type { LocationIngestor } from '../services/location/ingest-location-batch';
import type { BookingFanout } from './booking-fanout';
import type { OperationsFanout } from './operations-fanout';

export interface KafkaToRoomsDeps {
  kafka: KafkaPort;
  topics: TopicNames;
  topicPrefix: string;
  instanceId: string;
  logger: Logger;
  tracer: Tracer;
  fanout: OperationsFanout;
  bookingFanout: BookingFanout;
  /** Kept current by the driver events read here anyway (no Redis read per batch). */
  ingestor: Pick<LocationIngestor, 'applyDutyChange'>;
}

/**
 * This instance's Kafka readers, feeding the fan-outs that emit to rooms. Each instance start has
 * its own groups: every instance sees every event, starting from "now"; a reconnecting client
 * loads a snapshot for what it missed (docs/decisions/0003-events-to-realtime-instances.md).
 * Two readers: positions arrive in bulk (25k/s at peak) and must not hold up the rare events
 * people wait for (an offer, a booking step, a driver going offline) behind their backlog.
 * Resolves once both joined; the returned function disconnects them.
 */
export async function routeKafkaToRooms(deps: KafkaToRoomsDeps): Promise<() => Promise<void>> {
  const group = groupId(deps.topicPrefix, `realtime-${deps.instanceId}`);
  const positions = await startConsumer({
    kafka: deps.kafka,
    groupId: group,
    topics: [deps.topics.driverLocation],
    logger: deps.logger,
    // Committing does not make a restarted instance replay (each start is a new group, reading from
    // "now"); it makes a rebalance under load resume where it was instead of skipping to the end.
    commit: true,
    handle: async (messages) => {
      // Positions are state: of a batch (as large as any backlog) only each driver's newest is fanned out.
      deps.fanout.onLocations(newestLocations(messages));
    },
  });
  const events = await startConsumer({
    kafka: deps.kafka,
    groupId: groupId(deps.topicPrefix, `realtime-${deps.instanceId}-events`),
    topics: [deps.topics.driverEvents, deps.topics.bookingEvents],
    logger: deps.logger,
    commit: true,
    handle: async (messages, { topic, partition }) => {
      if (topic === deps.topics.bookingEvents) {
        for (const m of messages) {
          const parsed = bookingEventMessageSchema.safeParse(parseJson(m));
          if (parsed.success) {
            // The emits join the event's trace (a consumer span per traced message).
            const traced = startMessageSpan(deps.tracer, m, { topic, partition, group });
            try {
              deps.bookingFanout.onEvent(parsed.data, traced?.context);
            } finally {
              traced?.span.end();
            }
          } else deps.logger.warn({ offset: m.offset }, 'skipping malformed booking event');
        }
      } else {
        for (const m of messages) {
          const event = parseJson<DriverStateEvent>(m);
          if (event?.type !== 'driver.state') continue;
          deps.fanout.onStateEvent(event);
          deps.ingestor.applyDutyChange(event);
        }
      }
    },
  });
  return async () => {
    await positions.disconnect();
    await events.disconnect();
  };
}
