import type { Logger } from '../logger';
import { kafkajsPort } from './kafkajs-client';
import { platformaticPort } from './platformatic-client';
import type { KafkaClientName, KafkaPort } from './port';

/** The Kafka port on the client the setting names (KAFKA_CLIENT; kafkajs unless told otherwise). */
export function createKafka(options: {
  brokers: string;
  clientId: string;
  logger: Logger;
  client?: KafkaClientName;
}): KafkaPort {
  return options.client === 'platformatic' ? platformaticPort(options) : kafkajsPort(options);
}
