import type { LocationRecord } from '@/domain/driver-events';
import type { OutgoingMessage } from './kafka/port';
import {
  driverKeyAt,
  encodeLocationFrame,
  frameLayout,
  isBinaryFrame,
  readLocationRecord,
  recordBytes,
} from './location-frame-codec';

/**
 * `driver.location` carries *frames*: one Kafka record holds the positions of every driver of one
 * partition that arrived within a producer batch, in the compact binary form of
 * location-frame-codec.ts (JSON arrays are still read and still written for values given as
 * JSON). kafkajs spends ~10 µs per record on each side, so one record per ping would cost more
 * CPU than everything else on the path. A driver always maps to the same partition (FNV-1a of
 * its id), which keeps each driver's positions in order. See docs/decisions/0007-location-frames.md
 * and 0019-positions-are-state.md.
 */
export function partitionFor(driverId: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < driverId.length; i++) {
    hash ^= driverId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % partitions;
}

/** Records per frame: ~94 KB binary (~300 KB as JSON), far below Kafka's 1 MB message limit. */
export const maxRecordsPerFrame = 1_000;

/** A position on its way to a frame: the record itself, or (older callers) its JSON. */
export interface LocationMessage {
  key: string;
  value: LocationRecord | string;
}

/** A Kafka message as the readers see it (only its value matters here). */
export interface FrameMessage {
  value: Buffer | null;
}

/** Sampled location batches in flight, by driver (server/infra/location-tracing.ts). */
export interface FrameTraces {
  readonly size: number;
  traceparentFor(driverId: string): string | undefined;
}

type TraceNotes = Map<number, { index: number; traceparent: string }[]>;

/**
 * The `pack` hook of BatchingProducer: messages keyed by driver id, values one record each
 * (encoded once, here, straight into the binary frame) or one JSON record each (concatenated).
 * While a sampled batch is in flight (`traces`), the frames holding its drivers' records carry its
 * `traceparent` header (repeated if several); otherwise packing does no trace work at all.
 */
export function packLocationFrames(partitions: number, traces?: FrameTraces) {
  return (_topic: string, messages: readonly LocationMessage[]): OutgoingMessage[] => {
    const byPartition = new Map<number, (LocationRecord | string)[]>();
    const notes: TraceNotes | null = traces && traces.size > 0 ? new Map() : null;
    for (const m of messages) {
      const key = m.key;
      const partition = partitionFor(key, partitions);
      const values = byPartition.get(partition);
      if (values) values.push(m.value);
      else byPartition.set(partition, [m.value]);
      if (notes) noteTrace(notes, partition, values ? values.length - 1 : 0, traces!.traceparentFor(key));
    }
    const frames: OutgoingMessage[] = [];
    for (const [partition, values] of byPartition) {
      for (let start = 0; start < values.length; start += maxRecordsPerFrame) {
        const frame: OutgoingMessage = {
          partition,
          value: frameValue(values.slice(start, start + maxRecordsPerFrame)),
        };
        const traceparents = notes && tracesIn(notes.get(partition), start, start + maxRecordsPerFrame);
        if (traceparents) frame.headers = { traceparent: traceparents };
        frames.push(frame);
      }
    }
    return frames;
  };
}

/** Binary when every value is a record it can carry; else a JSON array (JSON values never re-serialised). */
function frameValue(values: (LocationRecord | string)[]): Buffer | string {
  if (values.every((v) => typeof v !== 'string')) {
    const binary = encodeLocationFrame(values as LocationRecord[]);
    if (binary) return binary;
  }
  return `[${values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(',')}]`;
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

/** The records of one frame, binary or JSON (a single JSON record too). Unreadable frames yield none. */
export function unpackLocationFrame(message: FrameMessage): LocationRecord[] {
  const value = message.value;
  if (!value) return [];
  if (isBinaryFrame(value)) {
    const layout = frameLayout(value);
    if (!layout) return [];
    const records: LocationRecord[] = new Array(layout.count);
    for (let i = 0; i < layout.count; i++)
      records[i] = readLocationRecord(value, layout.first + i * recordBytes, layout.types);
    return records;
  }
  try {
    const parsed = JSON.parse(value.toString('utf8')) as LocationRecord | LocationRecord[];
    return Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    return [];
  }
}

/**
 * Each driver's newest position in these messages (one partition's, in log order), for the live
 * path, where only the newest matters. A driver's positions sit in one partition in the order
 * they were accepted, so the last one wins; reading backwards, binary records of drivers already
 * seen are skipped without being decoded. Newest-last order per driver is not kept across drivers.
 */
export function newestLocations(messages: readonly FrameMessage[]): LocationRecord[] {
  const seen = new Set<string>();
  const newest: LocationRecord[] = [];
  for (let m = messages.length - 1; m >= 0; m--) {
    const value = messages[m]!.value;
    if (value && isBinaryFrame(value)) {
      const layout = frameLayout(value);
      if (!layout) continue;
      for (let i = layout.count - 1; i >= 0; i--) {
        const at = layout.first + i * recordBytes;
        const key = driverKeyAt(value, at);
        if (seen.has(key)) continue;
        seen.add(key);
        newest.push(readLocationRecord(value, at, layout.types));
      }
      continue;
    }
    const records = unpackLocationFrame(messages[m]!);
    for (let i = records.length - 1; i >= 0; i--) {
      const r = records[i]!;
      if (seen.has(r.driverId)) continue;
      seen.add(r.driverId);
      newest.push(r);
    }
  }
  return newest;
}
