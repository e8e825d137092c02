import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import {
  maxRecordsPerFrame,
  packLocationFrames,
  partitionFor,
  unpackLocationFrame,
} from '@/server/infra/location-frames';

const message = (driverId: string, seq: number) => ({
  key: driverId,
  value: JSON.stringify({ driverId, seq }),
});
const asKafka = (value: string) => ({ value: Buffer.from(value) }) as unknown as KafkaMessage;

describe('location frames', () => {
  it('maps a driver to the same partition every time, spreading drivers over all partitions', () => {
    expect(partitionFor('driver-a', 8)).toBe(partitionFor('driver-a', 8));
    const used = new Set(Array.from({ length: 1_000 }, (_, i) => partitionFor(`driver-${i}`, 8)));
    expect(used.size).toBe(8);
  });

  it('packs one frame per partition, keeping each driver’s records in order, and unpacks them', () => {
    const pack = packLocationFrames(8);
    const input = ['a', 'b', 'c', 'a', 'b', 'a'].map((d, i) => message(d, i));
    const frames = pack('t', input);
    expect(frames.length).toBeLessThanOrEqual(3);
    const records = frames.flatMap(
      (f) => unpackLocationFrame(asKafka(String(f.value))) as unknown as { driverId: string; seq: number }[],
    );
    expect(records.filter((r) => r.driverId === 'a').map((r) => r.seq)).toEqual([0, 3, 5]);
    expect(records).toHaveLength(6);
    for (const f of frames) {
      const inside = unpackLocationFrame(asKafka(String(f.value))) as unknown as { driverId: string }[];
      for (const r of inside) expect(partitionFor(r.driverId, 8)).toBe(f.partition);
    }
  });

  it('splits a large partition into frames of at most maxRecordsPerFrame', () => {
    const frames = packLocationFrames(1)(
      't',
      Array.from({ length: maxRecordsPerFrame * 2 + 1 }, (_, i) => message(`d${i}`, i)),
    );
    expect(frames.map((f) => unpackLocationFrame(asKafka(String(f.value))).length)).toEqual([
      maxRecordsPerFrame,
      maxRecordsPerFrame,
      1,
    ]);
  });

  it('reads single records too, and nothing from garbage', () => {
    expect(unpackLocationFrame(asKafka('{"driverId":"x"}'))).toHaveLength(1);
    expect(unpackLocationFrame(asKafka('not json'))).toEqual([]);
    expect(unpackLocationFrame({ value: null } as unknown as KafkaMessage)).toEqual([]);
  });
});
