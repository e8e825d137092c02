/**
 * The one door to Kafka: nothing outside server/infra/kafka/ imports a Kafka client library
 * (biome.json enforces it). docs/decisions/0022-kafka-behind-one-port.md.
 */
export { BatchingProducer, type BatchingProducerOptions } from './batching-producer';
export {
  type ConsumerOptions,
  carriedContexts,
  parseJson,
  startConsumer,
  startMessageSpan,
} from './consumer';
export { createKafka } from './create-kafka';
export { ensureTopics } from './ensure-topics';
export { committedPosition, type GroupPosition, placeGroup } from './group-offsets';
export { consumerLagReader, type GroupTopics } from './lag';
export type * from './port';
export { defaultKafkaClient, kafkaClients } from './port';
export { groupId, type TopicKey, type TopicNames, topicNames, topicSpecs } from './topics';
