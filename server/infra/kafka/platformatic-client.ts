import type { Logger } from '../logger';
import { kafkajsPort } from './kafkajs-client';
import { runPlatformaticConsumer } from './platformatic-consumer';
import { platformaticProducer } from './platformatic-producer';
import type { KafkaPort } from './port';

/**
 * The port on @platformatic/kafka for producing and consuming, the paths whose speed matters.
 * Admin operations (topics, group offsets, lag) stay on kafkajs for now: they are rare, and
 * moving them is part of the switch ADR 0022 leaves open.
 */
export function platformaticPort(options: { brokers: string; clientId: string; logger: Logger }): KafkaPort {
  const admin = kafkajsPort(options);
  return {
    client: 'platformatic',
    producer: () => platformaticProducer(options),
    admin: () => admin.admin(),
    startConsumer: (run) => runPlatformaticConsumer(options, run),
  };
}
