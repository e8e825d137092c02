import { outbox } from '@/db/schema';
import type { BookingEventMessage } from '@/domain/booking-events';
import type { DriverStateEvent } from '@/domain/driver-events';
import type { TopicKey } from '../../../infra/kafka';
import type { Tx } from '../../../infra/postgres';
import { traceHeaders } from '../../../infra/trace-context';

/** What each topic written through the outbox carries (positions go to Kafka directly). */
interface OutboxPayloads {
  bookingEvents: BookingEventMessage;
  driverEvents: DriverStateEvent;
}

/**
 * Queues a Kafka message in the caller's transaction, so it is published (by the relay) if and
 * only if the change it describes commits. The trace context, if any, travels with it: relay →
 * Kafka headers → consumers.
 */
export async function writeOutbox<T extends keyof OutboxPayloads & TopicKey>(
  tx: Tx,
  topic: T,
  key: string,
  payload: OutboxPayloads[T],
): Promise<void> {
  await tx.insert(outbox).values({ topic, key, payload, headers: traceHeaders() ?? null });
}
