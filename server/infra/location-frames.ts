import type { KafkaMessage, Message } from 'kafkajs';
import type { LocationRecord } from '@/domain/driver-events';

/**
 * `driver.location` carries *frames*: one Kafka record holds the positions of every driver of one
 * partition that arrived within a producer batch, as a JSON array. kafkajs spends ~10 µs per
 * record on each side, so one record per ping would cost more CPU than everything else on the
 * path. A driver always maps to the same partition (FNV-1a of its id), which keeps each driver's
 * positions in order. See docs/decisions/0007-location-frames.md.
 */
export function partitionFor(driverId: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < driverId.length; i++) {
    hash ^= driverId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}

/** Records per frame: ~150 KB, far below Kafka's 1 MB message limit. */
export const maxRecordsPerFrame = 500;

/** The `pack` hook of BatchingProducer: messages keyed by driver id, values one JSON record each. */
export function packLocationFrames(partitions: number) {
  return (_topic: string, messages: Message[]): Message[] => {
    const byPartition = new Map<number, string[]>();
    for (const m of messages) {
      const partition = partitionFor(String(m.key), partitions);
      const values = byPartition.get(partition);
      if (values) values.push(String(m.value));
      else byPartition.set(partition, [String(m.value)]);
    }
    // Concatenating already-serialised records: no second JSON.stringify.
    const frames: Message[] = [];
    for (const [partition, values] of byPartition) {
      for (let start = 0; start < values.length; start += maxRecordsPerFrame) {
        frames.push({ partition, value: `[${values.slice(start, start + maxRecordsPerFrame).join(',')}]` });
      }
    }
    return frames;
  };
}

/** The records of one frame (a single record is accepted too). Unparseable frames yield none. */
export function unpackLocationFrame(message: KafkaMessage): LocationRecord[] {
  if (!message.value) return [];
  try {
    const value = JSON.parse(message.value.toString('utf8')) as LocationRecord | LocationRecord[];
    return Array.isArray(value) ? value : [value];
  } catch {
    return [];
  }
}
