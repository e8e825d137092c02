import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPresencePolicy } from '@/domain/driver-availability';
import type { LocationRecord } from '@/domain/driver-events';
import { haversineMeters, offsetMeters } from '@/domain/geo';
import { seededRandom } from '@/domain/seeded-random';
import { createHarness, type Harness } from './support/harness';

/**
 * The nearest-driver search against a brute-force oracle over the same Redis data: every
 * available, fresh driver of the vehicle type, sorted by exact distance. Thousands of drivers in
 * every state, some stale, some that hopped cells, random query points and radii.
 */
let h: Harness;
beforeAll(async () => {
  h = await createHarness('nearest');
});
afterAll(() => h?.cleanup());

const centre = { lat: 12.9716, lng: 77.5946 };
const width = defaultPresencePolicy.staleAfterMs;
/**
 * 20 s into a time bucket: drivers last heard 31–60 s ago then sit partly in the previous bucket,
 * which the search reads, so only its freshness check can exclude them.
 */
const bucketedNow = () => Math.floor(Date.now() / width) * width + 20_000;
/** One clock for the whole file: a bucket boundary passing between tests must not age the data. */
const now = bucketedNow();
const types = ['economy', 'comfort', 'moto'];
const states = ['available', 'available', 'available', 'paused', 'offered', 'on_trip'] as const;

interface Truth {
  id: string;
  lat: number;
  lng: number;
  vt: string;
  state: string;
  rx: number;
}

async function populate(count: number, now: number, random: () => number): Promise<Truth[]> {
  const truth: Truth[] = [];
  for (let start = 0; start < count; start += 500) {
    const batch = Array.from({ length: Math.min(500, count - start) }, () => {
      const id = randomUUID();
      const vt = types[Math.floor(random() * types.length)]!;
      const state = states[Math.floor(random() * states.length)]!;
      const sessionId = randomUUID();
      // A quarter of the drivers were last heard 31–60 s ago: stale, excluded from dispatch.
      const rx = random() < 0.25 ? now - 31_000 - random() * 29_000 : now - random() * 25_000;
      const p = offsetMeters(centre, (random() - 0.5) * 8_000, (random() - 0.5) * 8_000);
      return { id, vt, state, sessionId, rx: Math.round(rx), ...p };
    });
    await h.liveIndex.setStates(
      batch.map((d) => ({
        driverId: d.id,
        version: 1,
        state: 'available',
        sessionId: d.sessionId,
        vehicleTypeId: d.vt,
        vehicleId: null,
        at: now - 60_000,
      })),
    );
    // A first position somewhere else (so some drivers change cell), then the real one.
    const record = (
      d: (typeof batch)[number],
      seq: number,
      lat: number,
      lng: number,
      rx: number,
    ): LocationRecord => ({
      driverId: d.id,
      sessionId: d.sessionId,
      seq,
      at: rx,
      lat,
      lng,
      receivedAt: rx,
      state: 'available',
      vehicleTypeId: d.vt,
    });
    await h.liveIndex.applyPositions(
      batch.map((d) => {
        const away = offsetMeters(d, (random() - 0.5) * 1_500, (random() - 0.5) * 1_500);
        return record(d, 1, away.lat, away.lng, d.rx - 1_000);
      }),
    );
    await h.liveIndex.applyPositions(batch.map((d) => record(d, 2, d.lat, d.lng, d.rx)));
    const busy = batch.filter((d) => d.state !== 'available');
    await h.liveIndex.setStates(
      busy.map((d) => ({
        driverId: d.id,
        version: 2,
        state: d.state,
        sessionId: d.sessionId,
        vehicleTypeId: d.vt,
        vehicleId: null,
        at: d.rx,
      })),
    );
    truth.push(
      ...batch.map((d) => ({ id: d.id, lat: d.lat, lng: d.lng, vt: d.vt, state: d.state, rx: d.rx })),
    );
  }
  return truth;
}

function oracle(
  truth: Truth[],
  q: { lat: number; lng: number; vehicleTypeId: string; k: number; maxRadiusM: number; nowMs: number },
) {
  return truth
    .filter(
      (d) =>
        d.state === 'available' &&
        d.vt === q.vehicleTypeId &&
        d.rx >= q.nowMs - defaultPresencePolicy.staleAfterMs,
    )
    .map((d) => ({ id: d.id, distanceM: haversineMeters(q, d) }))
    .filter((d) => d.distanceM <= q.maxRadiusM)
    .sort((a, b) => a.distanceM - b.distanceM || a.id.localeCompare(b.id))
    .slice(0, q.k)
    .map((d) => d.id);
}

describe('nearest available drivers', () => {
  it('agrees with a brute-force oracle on 300 random queries over 6,000 drivers', async () => {
    const random = seededRandom(7);
    const truth = await populate(6_000, now, random);
    let compared = 0;
    for (let i = 0; i < 300; i++) {
      const q = {
        ...offsetMeters(centre, (random() - 0.5) * 10_000, (random() - 0.5) * 10_000),
        vehicleTypeId: types[i % types.length]!,
        k: 1 + Math.floor(random() * 15),
        maxRadiusM: 300 + random() * 4_000,
        nowMs: now,
      };
      const result = await h.liveIndex.nearest(q);
      expect(result.drivers.map((d) => d.driverId)).toEqual(oracle(truth, q));
      const sorted = [...result.drivers].sort((a, b) => a.distanceM - b.distanceM);
      expect(result.drivers).toEqual(sorted);
      compared += result.drivers.length;
    }
    expect(compared).toBeGreaterThan(1_000);
    // The data really holds stale drivers where the search looks: the check above had teeth.
    const staleInReadBucket = truth.filter(
      (d) => d.rx < now - width && d.rx >= Math.floor(now / width - 1) * width,
    );
    expect(staleInReadBucket.length).toBeGreaterThan(500);
  });

  it('reads few cells in a dense area and returns nothing beyond the radius', async () => {
    const result = await h.liveIndex.nearest({
      ...centre,
      vehicleTypeId: 'economy',
      k: 5,
      maxRadiusM: 2_000,
      nowMs: now,
    });
    expect(result.drivers).toHaveLength(5);
    expect(result.cellsRead).toBeLessThan(80);
    const far = await h.liveIndex.nearest({
      lat: 13.5,
      lng: 78.5,
      vehicleTypeId: 'economy',
      k: 5,
      maxRadiusM: 1_000,
      nowMs: now,
    });
    expect(far.drivers).toEqual([]);
  });
});

describe('live index writes at scale', () => {
  it('applies a batch of 25,000 positions (one busy Kafka batch) in bounded script calls', async () => {
    const now = Date.now();
    const ids = Array.from({ length: 25_000 }, () => randomUUID());
    const sessions = ids.map(() => randomUUID());
    const entries = ids.map((driverId, i) => ({
      driverId,
      version: 1,
      state: 'available' as const,
      sessionId: sessions[i]!,
      vehicleTypeId: 'economy',
      vehicleId: null,
      at: now,
    }));
    expect(await h.liveIndex.setStates(entries)).toBe(ids.length);
    const records: LocationRecord[] = ids.map((driverId, i) => ({
      driverId,
      sessionId: sessions[i]!,
      seq: 1,
      at: now,
      lat: centre.lat + (i % 100) * 1e-4,
      lng: centre.lng + Math.floor(i / 100) * 1e-4,
      receivedAt: now,
      state: 'available',
      vehicleTypeId: 'economy',
    }));
    expect(await h.liveIndex.applyPositions(records)).toBe(ids.length);
    expect(await h.liveIndex.applyPositions(records)).toBe(0);
  });
});
