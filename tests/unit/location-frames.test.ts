import { describe, expect, it } from 'vitest';
import type { LocationRecord } from '@/domain/driver-events';
import type { ConsumedMessage } from '@/server/infra/kafka';
import { encodeLocationFrame, isBinaryFrame } from '@/server/infra/location-frame-codec';
import {
  maxRecordsPerFrame,
  newestLocations,
  packLocationFrames,
  partitionFor,
  unpackLocationFrame,
} from '@/server/infra/location-frames';

const uuid = (n: number) => `0a1b2c3d-4e5f-4a6b-8c7d-${n.toString(16).padStart(12, '0')}`;
const record = (driver: number, seq: number, extra: Partial<LocationRecord> = {}): LocationRecord => ({
  driverId: uuid(driver),
  sessionId: uuid(1_000 + driver),
  seq,
  at: 1_800_000_000_000 + seq,
  lat: 12.971598765432,
  lng: 77.594612345678,
  receivedAt: 1_800_000_000_100 + seq,
  state: 'available',
  vehicleTypeId: driver % 2 ? 'economy' : 'xl',
  ...extra,
});
const binary = (records: LocationRecord[]) => ({ value: encodeLocationFrame(records) });

const message = (driverId: string, seq: number) => ({
  key: driverId,
  value: JSON.stringify({ driverId, seq }),
});
const asKafka = (value: string) => ({ value: Buffer.from(value) }) as unknown as ConsumedMessage;

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
    expect(unpackLocationFrame({ value: null } as unknown as ConsumedMessage)).toEqual([]);
  });

  it('packs records into binary frames that read back exactly, optional fields and all', () => {
    const input = [
      record(1, 1, { accuracyM: 8.3, speedMps: 12.25, headingDeg: 271.5 }),
      record(2, 1),
      record(1, 2, { state: 'on_trip', headingDeg: 0 }),
    ];
    const frames = packLocationFrames(1)(
      't',
      input.map((r) => ({ key: r.driverId, value: r })),
    );
    expect(frames).toHaveLength(1);
    const value = frames[0]!.value as Buffer;
    expect(isBinaryFrame(value)).toBe(true);
    expect(value.length).toBeLessThan(input.length * 100);
    expect(unpackLocationFrame({ value })).toEqual(input);
  });

  it('falls back to JSON for ids it cannot carry in binary, losing nothing', () => {
    const odd = record(1, 1, { driverId: 'ABCDEF01-0000-4000-8000-000000000001' });
    const [frame] = packLocationFrames(1)('t', [{ key: odd.driverId, value: odd }]);
    expect(typeof frame!.value).toBe('string');
    expect(unpackLocationFrame(asKafka(String(frame!.value)))).toEqual([odd]);
  });

  it('reads back each driver’s newest position only, from binary and JSON frames alike', () => {
    const messages = [
      binary([record(1, 1), record(2, 1), record(1, 2)]),
      { value: Buffer.from(JSON.stringify([record(3, 1), record(3, 2)])) },
      binary([record(2, 2), record(1, 3)]),
    ];
    const newest = newestLocations(messages).map((r) => [r.driverId, r.seq]);
    expect(newest.sort()).toEqual([
      [uuid(1), 3],
      [uuid(2), 2],
      [uuid(3), 2],
    ]);
  });

  it('yields nothing from a truncated binary frame', () => {
    const value = encodeLocationFrame([record(1, 1), record(2, 1)])!;
    expect(unpackLocationFrame({ value: value.subarray(0, value.length - 10) })).toEqual([]);
  });
});
