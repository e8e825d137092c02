import { describe, expect, it } from 'vitest';
import type { AvailabilityState } from '@/domain/driver-availability';
import { haversineMeters, type LatLng, offsetMeters } from '@/domain/geo';
import { LatLngGrid } from '@/domain/nearest-grid';
import {
  NearestDriverIndex,
  type NearestIndexQuery,
  type PositionUpdate,
  type StateChange,
} from '@/domain/nearest-index';
import { seededRandom } from '@/domain/seeded-random';

const staleAfterMs = 30_000;
const now = 1_800_000_000_000;

/**
 * The brute force the index must equal: the rules of ADR 0004 on a plain map, then filter and sort.
 * Plus one rule of delivery: a ping of a session not started yet (its go-online event still on its
 * way through another topic) counts from the moment the session starts.
 */
class Oracle {
  readonly early = new Map<string, PositionUpdate>();
  readonly drivers = new Map<
    string,
    {
      version: number;
      state: AvailabilityState;
      session: string | null;
      vt: string | null;
      seq: number;
      p: (LatLng & { rx: number }) | null;
    }
  >();

  state(c: StateChange) {
    const d = this.drivers.get(c.driverId);
    if (d && d.version >= c.version) return;
    const wasOffline = !d || d.state === 'offline';
    const off = c.state === 'offline';
    this.drivers.set(c.driverId, {
      version: c.version,
      state: c.state,
      session: off ? null : c.sessionId,
      vt: off ? null : c.vehicleTypeId,
      seq: off || wasOffline ? 0 : d.seq,
      p: off || wasOffline ? null : d.p,
    });
    const e = this.early.get(c.driverId);
    if (e && !off && e.sessionId === c.sessionId) {
      this.early.delete(c.driverId);
      this.position(e);
    }
  }

  position(p: PositionUpdate) {
    const d = this.drivers.get(p.driverId);
    if (!d || d.state === 'offline' || d.session !== p.sessionId) {
      const held = this.early.get(p.driverId);
      if (!held || held.sessionId !== p.sessionId || held.seq < p.seq) this.early.set(p.driverId, p);
      return;
    }
    if (d.seq >= p.seq) return;
    d.seq = p.seq;
    d.p = { lat: p.lat, lng: p.lng, rx: p.receivedAt };
  }

  nearest(q: NearestIndexQuery): string[] {
    return [...this.drivers]
      .filter(
        ([, d]) =>
          d.state === 'available' && d.vt === q.vehicleTypeId && d.p && d.p.rx >= q.nowMs - staleAfterMs,
      )
      .map(([id, d]) => ({ id, m: haversineMeters(q, d.p!) }))
      .filter((x) => x.m <= q.maxRadiusM)
      .sort((a, b) => a.m - b.m || a.id.localeCompare(b.id))
      .slice(0, q.k)
      .map((x) => x.id);
  }
}

const id = (n: number) => `d-${String(n).padStart(6, '0')}`;
const states: AvailabilityState[] = [
  'available',
  'available',
  'available',
  'paused',
  'offered',
  'on_trip',
  'offline',
];
const types = ['economy', 'comfort', 'moto'];

/** Random interleavings of state changes and positions (stale, replayed, other sessions, early). */
function scenario(seed: number, around: LatLng, spreadM: number, drivers: number, steps: number) {
  const random = seededRandom(seed);
  const index = new NearestDriverIndex({ staleAfterMs, cellDeg: [0.001, 0.004, 0.03][seed % 3]! });
  const oracle = new Oracle();
  const version = new Array<number>(drivers).fill(0);
  const seq = new Array<number>(drivers).fill(0);
  const session = Array.from({ length: drivers }, (_, i) => `s-${i}-0`);
  const place = () => {
    const p = offsetMeters(around, (random() - 0.5) * spreadM, (random() - 0.5) * spreadM);
    return { lat: Math.max(-90, Math.min(90, p.lat)), lng: ((p.lng + 540) % 360) - 180 };
  };
  for (let step = 0; step < steps; step++) {
    const i = Math.floor(random() * drivers);
    const r = random();
    if (r < 0.25) {
      // Versions mostly grow; some arrive late (lower than what was applied).
      const v = random() < 0.85 ? ++version[i]! : Math.max(1, version[i]! - 1);
      const state = states[Math.floor(random() * states.length)]!;
      if (state === 'offline') session[i] = `s-${i}-${v}`;
      const change: StateChange = {
        driverId: id(i),
        version: v,
        state,
        sessionId: state === 'offline' ? null : session[i]!,
        vehicleTypeId: types[Math.floor(random() * types.length)]!,
        at: now - 60_000,
      };
      index.applyState(change);
      oracle.state(change);
    } else {
      const s = random() < 0.9 ? ++seq[i]! : Math.max(1, seq[i]! - 2);
      const p: PositionUpdate = {
        driverId: id(i),
        sessionId: random() < 0.95 ? session[i]! : `s-${i}-old`,
        seq: s,
        at: now,
        ...place(),
        receivedAt: now - Math.floor(random() * 45_000),
      };
      index.applyPosition(p);
      oracle.position(p);
    }
  }
  return { index, oracle, random, place };
}

function expectAgreement(seed: number, around: LatLng, spreadM: number) {
  const { index, oracle, random, place } = scenario(seed, around, spreadM, 1_500, 12_000);
  let found = 0;
  for (let n = 0; n < 150; n++) {
    const q = {
      ...place(),
      vehicleTypeId: types[n % types.length]!,
      k: 1 + Math.floor(random() * 12),
      maxRadiusM: 50 + random() * spreadM * 0.6,
      nowMs: now,
    };
    const got = index.nearest(q);
    expect(got.drivers.map((d) => d.driverId)).toEqual(oracle.nearest(q));
    found += got.drivers.length;
  }
  return found;
}

describe('nearest-driver index against a brute force', () => {
  it('agrees in a city, through versions, sessions, replays, staleness and offline tombstones', () => {
    expect(expectAgreement(1, { lat: 12.9716, lng: 77.5946 }, 8_000)).toBeGreaterThan(500);
    expect(expectAgreement(2, { lat: -33.87, lng: 151.21 }, 3_000)).toBeGreaterThan(500);
  });

  it('agrees around the north and south poles (every longitude within a few km)', () => {
    expect(expectAgreement(3, { lat: 89.99, lng: 10 }, 8_000)).toBeGreaterThan(300);
    expect(expectAgreement(4, { lat: -89.97, lng: -120 }, 8_000)).toBeGreaterThan(300);
  });

  it('agrees across the antimeridian', () => {
    expect(expectAgreement(5, { lat: 64.8, lng: 179.995 }, 6_000)).toBeGreaterThan(300);
    expect(expectAgreement(6, { lat: -16.5, lng: -179.99 }, 6_000)).toBeGreaterThan(300);
  });
});

function online(index: NearestDriverIndex, driverId: string, at: LatLng, rx = now, vt = 'economy') {
  index.applyState({ driverId, version: 1, state: 'available', sessionId: 's1', vehicleTypeId: vt, at: now });
  index.applyPosition({ driverId, sessionId: 's1', seq: 1, at: rx, receivedAt: rx, ...at });
}
const centre = { lat: 12.9716, lng: 77.5946 };
const query = (over: Partial<NearestIndexQuery> = {}): NearestIndexQuery => ({
  ...centre,
  vehicleTypeId: 'economy',
  k: 10,
  maxRadiusM: 3_000,
  nowMs: now,
  ...over,
});
const ids = (index: NearestDriverIndex, q: NearestIndexQuery) =>
  index.nearest(q).drivers.map((d) => d.driverId);

describe('nearest-driver index rules', () => {
  it('orders ties by driver id, and cuts k inside a tie', () => {
    const index = new NearestDriverIndex({ staleAfterMs });
    const spot = offsetMeters(centre, 120, 0);
    for (const d of ['c', 'a', 'd', 'b']) online(index, d, spot);
    online(index, 'z', offsetMeters(centre, 50, 0));
    expect(ids(index, query({ k: 3 }))).toEqual(['z', 'a', 'b']);
    expect(index.nearest(query({ k: 3 })).drivers[1]!.distanceM).toBe(
      index.nearest(query()).drivers[2]!.distanceM,
    );
  });

  it('keeps a driver heard exactly staleAfterMs ago and drops one heard a millisecond earlier', () => {
    const index = new NearestDriverIndex({ staleAfterMs });
    online(index, 'edge', offsetMeters(centre, 10, 0), now - staleAfterMs);
    online(index, 'old', offsetMeters(centre, 5, 0), now - staleAfterMs - 1);
    expect(ids(index, query())).toEqual(['edge']);
    // A newer ping makes the stale one searchable again.
    index.applyPosition({ driverId: 'old', sessionId: 's1', seq: 2, at: now, receivedAt: now, ...centre });
    expect(ids(index, query())).toEqual(['old', 'edge']);
  });

  it('includes a driver exactly on the radius and nothing beyond it', () => {
    const index = new NearestDriverIndex({ staleAfterMs });
    const on = offsetMeters(centre, 0, 2_000);
    online(index, 'on', on);
    online(index, 'beyond', offsetMeters(centre, 0, 2_001));
    expect(ids(index, query({ maxRadiusM: haversineMeters(centre, on) }))).toEqual(['on']);
  });

  it('finds only available drivers of the asked type, and follows state changes', () => {
    const index = new NearestDriverIndex({ staleAfterMs });
    online(index, 'eco', offsetMeters(centre, 100, 0));
    online(index, 'moto', offsetMeters(centre, 50, 0), now, 'moto');
    expect(ids(index, query())).toEqual(['eco']);
    const offered = {
      driverId: 'eco',
      version: 2,
      state: 'offered' as const,
      sessionId: 's1',
      vehicleTypeId: 'economy',
      at: now,
    };
    expect(index.applyState(offered)).toBe(true);
    expect(ids(index, query())).toEqual([]);
    // A late, older event changes nothing.
    expect(index.applyState({ ...offered, version: 1, state: 'available' })).toBe(false);
    expect(ids(index, query())).toEqual([]);
    index.applyState({ ...offered, version: 3, state: 'available' });
    expect(ids(index, query())).toEqual(['eco']);
  });

  it('ignores replays, positions of another session, and anything after going offline', () => {
    const index = new NearestDriverIndex({ staleAfterMs });
    online(index, 'd', offsetMeters(centre, 100, 0));
    const far = offsetMeters(centre, 2_500, 0);
    expect(
      index.applyPosition({ driverId: 'd', sessionId: 's1', seq: 1, at: now, receivedAt: now, ...far }),
    ).toBe(false);
    expect(
      index.applyPosition({ driverId: 'd', sessionId: 'other', seq: 9, at: now, receivedAt: now, ...far }),
    ).toBe(false);
    expect(index.nearest(query()).drivers[0]!.distanceM).toBeLessThan(101);
    index.applyState({
      driverId: 'd',
      version: 2,
      state: 'offline',
      sessionId: null,
      vehicleTypeId: null,
      at: now,
    });
    expect(
      index.applyPosition({ driverId: 'd', sessionId: 's1', seq: 5, at: now, receivedAt: now, ...centre }),
    ).toBe(false);
    // Back online in a new session: no position until that session's first ping.
    index.applyState({
      driverId: 'd',
      version: 3,
      state: 'available',
      sessionId: 's2',
      vehicleTypeId: 'economy',
      at: now,
    });
    expect(ids(index, query())).toEqual([]);
    index.applyPosition({ driverId: 'd', sessionId: 's2', seq: 1, at: now, receivedAt: now, ...centre });
    expect(ids(index, query())).toEqual(['d']);
  });

  it('applies a ping that arrived before its session started once the go-online event comes', () => {
    const index = new NearestDriverIndex({ staleAfterMs });
    index.applyPosition({ driverId: 'e', sessionId: 's9', seq: 3, at: now, receivedAt: now, ...centre });
    index.applyPosition({ driverId: 'e', sessionId: 's9', seq: 2, at: now, receivedAt: now, ...far() });
    expect(index.size.early).toBe(1);
    index.applyState({
      driverId: 'e',
      version: 1,
      state: 'available',
      sessionId: 's9',
      vehicleTypeId: 'economy',
      at: now,
    });
    expect(index.nearest(query()).drivers).toMatchObject([{ driverId: 'e', distanceM: 0 }]);
    expect(index.size).toEqual({ drivers: 1, searchable: 1, early: 0 });
  });

  it('prunes old early positions and old tombstones only', () => {
    const index = new NearestDriverIndex({ staleAfterMs });
    index.applyPosition({
      driverId: 'x',
      sessionId: 's',
      seq: 1,
      at: 0,
      receivedAt: now - 200_000,
      ...centre,
    });
    index.applyState({
      driverId: 'gone',
      version: 4,
      state: 'offline',
      sessionId: null,
      vehicleTypeId: null,
      at: now - 90_000_000,
    });
    online(index, 'live', centre);
    expect(index.prune(now - 120_000, now - 86_400_000)).toBe(2);
    expect(index.size).toEqual({ drivers: 1, searchable: 1, early: 0 });
  });

  it('reads a handful of cells in a dense city and few at a pole', () => {
    const index = new NearestDriverIndex({ staleAfterMs });
    const random = seededRandom(9);
    for (let i = 0; i < 20_000; i++)
      online(index, id(i), offsetMeters(centre, (random() - 0.5) * 30_000, (random() - 0.5) * 30_000));
    const dense = index.nearest(query());
    expect(dense.drivers).toHaveLength(10);
    expect(dense.cellsRead).toBeLessThan(60);
    const pole = new NearestDriverIndex({ staleAfterMs });
    online(pole, 'p', { lat: 89.999, lng: 120 });
    const atPole = pole.nearest(query({ lat: 90, lng: 0, maxRadiusM: 1_000 }));
    expect(atPole.drivers.map((d) => d.driverId)).toEqual(['p']);
    expect(atPole.cellsRead).toBeLessThan(100);
  });
});

function far() {
  return offsetMeters(centre, 2_000, 0);
}

describe('lat/lng grid', () => {
  it('visits the cell of every point within the radius, at any latitude and across the antimeridian', () => {
    const random = seededRandom(11);
    for (const cellDeg of [0.001, 0.004, 0.05]) {
      const grid = new LatLngGrid(cellDeg);
      for (let n = 0; n < 300; n++) {
        const lat =
          n % 10 === 0 ? (random() < 0.5 ? -1 : 1) * (89.5 + random() * 0.5) : (random() - 0.5) * 180;
        const lng =
          n % 7 === 0 ? (random() < 0.5 ? -1 : 1) * (179.9 + random() * 0.1) : (random() - 0.5) * 360;
        const radiusM = 10 + random() * 5_000;
        const visited = new Set<string>();
        grid.forEachRowNear(lat, lng, radiusM, (row, from, count, n) => {
          for (let i = 0; i < count; i++) visited.add(`${row}:${(from + i) % n}`);
        });
        for (let p = 0; p < 40; p++) {
          const point = offsetMeters(
            { lat, lng },
            (random() - 0.5) * radiusM * 1.4,
            (random() - 0.5) * radiusM * 1.4,
          );
          if (Math.abs(point.lat) > 90) continue;
          const wrapped = { lat: point.lat, lng: ((point.lng + 540) % 360) - 180 };
          if (haversineMeters({ lat, lng }, wrapped) > radiusM) continue;
          const row = grid.rowOf(wrapped.lat);
          expect(visited.has(`${row}:${grid.colOf(row, wrapped.lng)}`)).toBe(true);
        }
      }
    }
  });

  it('gives 180° and −180° the same column and refuses cells it cannot key', () => {
    const grid = new LatLngGrid(0.004);
    expect(grid.colOf(grid.rowOf(10), 180)).toBe(grid.colOf(grid.rowOf(10), -180));
    expect(grid.colsIn(grid.rowOf(90))).toBeLessThan(10);
    expect(() => new LatLngGrid(0.0001)).toThrow(RangeError);
  });
});
