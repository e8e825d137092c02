import type { Logger } from '../logger';

/**
 * What the platform needs from a Kafka client, in its own words (docs/decisions/0022-kafka-behind-one-port.md).
 * Only server/infra/kafka/ knows which client library implements it; the shapes follow kafkajs's
 * where the code already used them, so the kafkajs adapter hands its own objects through.
 */

/** A header that may repeat: location frames carry one `traceparent` per sampled batch. */
export type HeaderValue = string | Buffer | (string | Buffer)[] | undefined;
export type Headers = Record<string, HeaderValue>;

export interface OutgoingMessage {
  /** Partitioned by the Java client's murmur2 of the key unless `partition` is given. */
  key?: string | Buffer | null;
  value: string | Buffer | null;
  partition?: number;
  headers?: Headers;
}

export interface ConsumedMessage {
  key: Buffer | null;
  value: Buffer | null;
  offset: string;
  /** When the producer (or broker) stamped it, ms since the epoch, as a decimal string. */
  timestamp: string;
  headers?: Headers;
}

export interface TopicMessages {
  topic: string;
  messages: OutgoingMessage[];
}

export interface EventProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  /** Resolves once the broker acknowledged every message with `acks` (-1: all in-sync replicas). */
  send(record: TopicMessages & { acks?: number }): Promise<unknown>;
  sendBatch(batch: { acks?: number; topicMessages: TopicMessages[] }): Promise<unknown>;
}

export interface PartitionOffsets {
  partition: number;
  /** The high watermark (next offset to be written); `high` is the same. */
  offset: string;
  high: string;
  low: string;
}

export interface KafkaAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  listTopics(): Promise<string[]>;
  createTopics(options: {
    waitForLeaders?: boolean;
    topics: {
      topic: string;
      numPartitions: number;
      replicationFactor: number;
      configEntries?: { name: string; value: string }[];
    }[];
  }): Promise<boolean>;
  deleteTopics(options: { topics: string[] }): Promise<void>;
  listGroups(): Promise<{ groups: { groupId: string }[] }>;
  deleteGroups(groupIds: string[]): Promise<unknown>;
  fetchTopicOffsets(topic: string): Promise<PartitionOffsets[]>;
  /** Committed offsets; "-1" where the group never committed. */
  fetchOffsets(options: {
    groupId: string;
    topics: string[];
  }): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
  /** Only for a group with no members. */
  setOffsets(options: {
    groupId: string;
    topic: string;
    partitions: { partition: number; offset: string }[];
  }): Promise<void>;
}

export interface ConsumerRun {
  groupId: string;
  topics: string[];
  /** Where the consumer reports a crash. */
  logger: Logger;
  /** Start from the oldest retained message when the group has no committed offset. */
  fromBeginning?: boolean;
  /** Commit offsets after handled batches. Off for per-instance fan-out readers. */
  commit?: boolean;
  /** Handles one partition's batch, in log order; its offsets are committed only after it resolves. */
  handle: (messages: ConsumedMessage[], context: { topic: string; partition: number }) => Promise<void>;
}

export interface RunningConsumer {
  /** Leaves the group; a batch being handled finishes first. */
  disconnect(): Promise<void>;
}

export const kafkaClients = ['kafkajs', 'platformatic'] as const;
export type KafkaClientName = (typeof kafkaClients)[number];
/** Faster on the telemetry path and through every fault test (docs/decisions/0022-kafka-behind-one-port.md). */
export const defaultKafkaClient: KafkaClientName = 'platformatic';

export interface KafkaPort {
  readonly client: KafkaClientName;
  /** Not connected yet: `connect()` before sending. */
  producer(): EventProducer;
  /** Not connected yet: `connect()` before use. */
  admin(): KafkaAdmin;
  /**
   * Joins the group and runs `handle` batch by batch, at least once: offsets are committed (about
   * once a second) only past handled batches, so a crash redelivers. Resolves once joined.
   */
  startConsumer(run: ConsumerRun): Promise<RunningConsumer>;
}
