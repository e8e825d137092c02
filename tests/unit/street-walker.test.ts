import { describe, expect, it } from 'vitest';
import { demoCity, gridSize, intersection } from '@/domain/city';
import { haversineMeters, type LatLng } from '@/domain/geo';
import { StreetWalker, seededRandom } from '@/server/sim/street-walker';

const n = gridSize(demoCity);
const rowLats = Array.from({ length: n }, (_, j) => intersection(demoCity, 0, j).lat);
const columnLngs = Array.from({ length: n }, (_, i) => intersection(demoCity, i, 0).lng);
const south = intersection(demoCity, 0, 0).lat;
const north = intersection(demoCity, 0, n - 1).lat;
const west = intersection(demoCity, 0, 0).lng;
const east = intersection(demoCity, n - 1, 0).lng;
const eps = 1e-9;

const onStreet = (p: LatLng) =>
  rowLats.some((lat) => Math.abs(p.lat - lat) <= eps) ||
  columnLngs.some((lng) => Math.abs(p.lng - lng) <= eps);
const inside = (p: LatLng) =>
  p.lat >= south - eps && p.lat <= north + eps && p.lng >= west - eps && p.lng <= east + eps;

/** Sign of (Δlat, Δlng) for each heading. */
const directionOf: Record<number, [number, number]> = { 0: [1, 0], 90: [0, 1], 180: [-1, 0], 270: [0, -1] };

function walk(seed: number, steps: number, dtMs: number) {
  const walker = new StreetWalker(demoCity, seededRandom(seed));
  const track = [{ position: walker.position(), headingDeg: Number.NaN }];
  for (let s = 0; s < steps; s++) track.push(walker.step(dtMs));
  return { walker, track };
}

describe('seeded random', () => {
  it('gives the same sequence for the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(xs);
  });

  it('gives a different sequence for a different seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(43);
    const xs = Array.from({ length: 20 }, () => a());
    const ys = Array.from({ length: 20 }, () => b());
    expect(ys).not.toEqual(xs);
    expect(ys.filter((y, k) => y === xs[k]).length).toBe(0);
  });

  it('stays in [0, 1) and spreads evenly', () => {
    const random = seededRandom(7);
    const buckets = new Array<number>(10).fill(0);
    const count = 20_000;
    for (let k = 0; k < count; k++) {
      const x = random();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      buckets[Math.floor(x * 10)]!++;
    }
    for (const b of buckets) expect(Math.abs(b - count / 10)).toBeLessThan(count / 10 / 5);
  });
});

describe('street walker', () => {
  it('replays exactly the same walk for the same seed', () => {
    const a = walk(1234, 500, 1_000);
    const b = walk(1234, 500, 1_000);
    expect(b.walker.speedMps).toBe(a.walker.speedMps);
    expect(b.track).toEqual(a.track);
  });

  it('walks differently with a different seed', () => {
    const a = walk(1234, 200, 1_000);
    const b = walk(1235, 200, 1_000);
    expect(b.track.map((t) => t.position)).not.toEqual(a.track.map((t) => t.position));
  });

  it('drives at a city speed between 25 and 50 km/h', () => {
    for (let seed = 0; seed < 50; seed++) {
      const { speedMps } = new StreetWalker(demoCity, seededRandom(seed));
      expect(speedMps).toBeGreaterThanOrEqual(7);
      expect(speedMps).toBeLessThan(14);
    }
  });

  it('starts on an intersection', () => {
    for (let seed = 0; seed < 20; seed++) {
      const p = new StreetWalker(demoCity, seededRandom(seed)).position();
      expect(rowLats.some((lat) => Math.abs(p.lat - lat) <= eps)).toBe(true);
      expect(columnLngs.some((lng) => Math.abs(p.lng - lng) <= eps)).toBe(true);
    }
  });

  it('always stays on a street of the grid', () => {
    for (const seed of [1, 2, 3]) {
      const { track } = walk(seed, 3_000, 1_000);
      for (const { position } of track) expect(onStreet(position), JSON.stringify(position)).toBe(true);
    }
  });

  it('stays on a street when one step spans several blocks', () => {
    const { track } = walk(99, 500, 97_000);
    for (const { position } of track) expect(onStreet(position)).toBe(true);
  });

  it('moves speed × dt per step, shorter only when it turns at a corner', () => {
    const dtMs = 1_000;
    const { walker, track } = walk(2024, 5_000, dtMs);
    const expected = (walker.speedMps * dtMs) / 1000;
    let straight = 0;
    let turns = 0;
    for (let k = 2; k < track.length; k++) {
      const before = track[k - 1]!;
      const after = track[k]!;
      const moved = haversineMeters(before.position, after.position);
      expect(moved).toBeLessThanOrEqual(expected * 1.003);
      const turn = Math.abs(after.headingDeg - before.headingDeg) % 360;
      if (turn === 0) {
        straight++;
        expect(Math.abs(moved / expected - 1)).toBeLessThan(0.003);
      } else if (turn === 90 || turn === 270) {
        // Two legs of a right angle summing to `expected`: the diagonal is at least expected / √2.
        turns++;
        expect(moved).toBeGreaterThanOrEqual((expected / Math.SQRT2) * 0.997);
      }
    }
    expect(straight).toBeGreaterThan(4_000);
    expect(turns).toBeGreaterThan(0);
  });

  it('heads the way it moves', () => {
    const { track } = walk(77, 2_000, 1_000);
    for (let k = 2; k < track.length; k++) {
      const before = track[k - 1]!;
      const after = track[k]!;
      if (after.headingDeg !== before.headingDeg) continue;
      const dLat = after.position.lat - before.position.lat;
      const dLng = after.position.lng - before.position.lng;
      const expected = directionOf[after.headingDeg];
      expect(expected, `heading ${after.headingDeg}`).toBeDefined();
      expect([Math.sign(dLat) || 0, Math.sign(dLng) || 0]).toEqual(expected);
    }
  });

  it('never leaves the grid over 10,000 steps', () => {
    for (const seed of [5, 6]) {
      const { track } = walk(seed, 10_000, 4_000);
      for (const { position } of track) expect(inside(position), JSON.stringify(position)).toBe(true);
    }
  });

  it('turns at the edge of the grid instead of leaving it', () => {
    // A single square block: every corner is a dead end in two directions.
    const tiny = { ...demoCity, radiusM: 200, blockM: 400 };
    expect(gridSize(tiny)).toBe(2);
    const walker = new StreetWalker(tiny, seededRandom(3));
    const corners = [0, 1].flatMap((i) => [0, 1].map((j) => intersection(tiny, i, j)));
    const minLat = Math.min(...corners.map((c) => c.lat));
    const maxLat = Math.max(...corners.map((c) => c.lat));
    const minLng = Math.min(...corners.map((c) => c.lng));
    const maxLng = Math.max(...corners.map((c) => c.lng));
    for (let s = 0; s < 2_000; s++) {
      const { position } = walker.step(3_000);
      expect(position.lat).toBeGreaterThanOrEqual(minLat - eps);
      expect(position.lat).toBeLessThanOrEqual(maxLat + eps);
      expect(position.lng).toBeGreaterThanOrEqual(minLng - eps);
      expect(position.lng).toBeLessThanOrEqual(maxLng + eps);
    }
  });
});
