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

/** Sampled location batches in flight, by driver (server/infra/location-tracing.ts). */
export interface FrameTraces {
  readonly size: number;
  traceparentFor(driverId: string): string | undefined;
}

type TraceNotes = Map<number, { index: number; traceparent: string }[]>;

/**
 * The `pack` hook of BatchingProducer: messages keyed by driver id, values one JSON record each.
 * While a sampled batch is in flight (`traces`), the frames holding its drivers' records carry its
 * `traceparent` header (repeated if several); otherwise packing does no trace work at all.
 */
export function packLocationFrames(partitions: number, traces?: FrameTraces) {
  return (_topic: string, messages: Message[]): Message[] => {
    const byPartition = new Map<number, string[]>();
    const notes: TraceNotes | null = traces && traces.size > 0 ? new Map() : null;
    for (const m of messages) {
      const key = String(m.key);
      const partition = partitionFor(key, partitions);
      const values = byPartition.get(partition);
      if (values) values.push(String(m.value));
      else byPartition.set(partition, [String(m.value)]);
      if (notes) noteTrace(notes, partition, values ? values.length - 1 : 0, traces!.traceparentFor(key));
    }
    // Concatenating already-serialised records: no second JSON.stringify.
    const frames: Message[] = [];
    for (const [partition, values] of byPartition) {
      for (let start = 0; start < values.length; start += maxRecordsPerFrame) {
        const frame: Message = {
          partition,
          value: `[${values.slice(start, start + maxRecordsPerFrame).join(',')}]`,
        };
        const traceparents = notes && tracesIn(notes.get(partition), start, start + maxRecordsPerFrame);
        if (traceparents) frame.headers = { traceparent: traceparents };
        frames.push(frame);
      }
    }
    return frames;
  };
}

function noteTrace(notes: TraceNotes, partition: number, index: number, traceparent: string | undefined) {
  if (!traceparent) return;
  const list = notes.get(partition);
  if (list) list.push({ index, traceparent });
  else notes.set(partition, [{ index, traceparent }]);
}

/** The distinct traces noted for records [start, end) of a partition: one value, several, or none. */
function tracesIn(
  list: { index: number; traceparent: string }[] | undefined,
  start: number,
  end: number,
): string | string[] | null {
  if (!list) return null;
  const found = new Set<string>();
  for (const n of list) if (n.index >= start && n.index < end) found.add(n.traceparent);
  if (found.size === 0) return null;
  return found.size === 1 ? [...found][0]! : [...found];
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
