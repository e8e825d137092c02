import type { Logger } from '../logger';
import { kafkajsPort } from './kafkajs-client';
import { platformaticPort } from './platformatic-client';
import { defaultKafkaClient, type KafkaClientName, type KafkaPort } from './port';

/** The Kafka port on the client the setting names (KAFKA_CLIENT), else on the default client. */
export function createKafka(options: {
  brokers: string;
  clientId: string;
  logger: Logger;
  client?: KafkaClientName;
}): KafkaPort {
  return (options.client ?? defaultKafkaClient) === 'platformatic'
    ? platformaticPort(options)
    : kafkajsPort(options);
}
