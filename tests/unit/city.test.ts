import { describe, expect, it } from 'vitest';
import { type CityConfig, demoCity, gridSize, intersection, streetLines } from '@/domain/city';
import { haversineMeters } from '@/domain/geo';

const n = gridSize(demoCity);
const within = (actual: number, expected: number, relative: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.abs(expected) * relative);

describe('city grid', () => {
  it('has one street per block plus the closing one', () => {
    expect(n).toBe(31);
    expect(gridSize({ ...demoCity, radiusM: 1_000, blockM: 500 })).toBe(5);
    // A radius that is not a whole number of blocks leaves the remainder ungridded.
    expect(gridSize({ ...demoCity, radiusM: 1_100, blockM: 500 })).toBe(5);
    expect(gridSize({ ...demoCity, radiusM: 100, blockM: 500 })).toBe(1);
  });

  it('puts the corners radiusM from the centre on each axis', () => {
    const { center, radiusM } = demoCity;
    const sw = intersection(demoCity, 0, 0);
    const ne = intersection(demoCity, n - 1, n - 1);
    expect(sw.lat).toBeLessThan(center.lat);
    expect(sw.lng).toBeLessThan(center.lng);
    expect(ne.lat).toBeGreaterThan(center.lat);
    expect(ne.lng).toBeGreaterThan(center.lng);
    within(haversineMeters(sw, { lat: center.lat, lng: sw.lng }), radiusM, 0.005);
    within(haversineMeters(sw, { lat: sw.lat, lng: center.lng }), radiusM, 0.005);
    within(haversineMeters(center, ne), radiusM * Math.SQRT2, 0.005);
  });

  it('puts the middle intersection on the centre', () => {
    const middle = intersection(demoCity, (n - 1) / 2, (n - 1) / 2);
    expect(middle.lat).toBeCloseTo(demoCity.center.lat, 12);
    expect(middle.lng).toBeCloseTo(demoCity.center.lng, 12);
  });

  it('counts i west to east and j south to north', () => {
    const origin = intersection(demoCity, 3, 3);
    const east = intersection(demoCity, 4, 3);
    const north = intersection(demoCity, 3, 4);
    expect(east.lng).toBeGreaterThan(origin.lng);
    expect(east.lat).toBe(origin.lat);
    expect(north.lat).toBeGreaterThan(origin.lat);
    expect(north.lng).toBe(origin.lng);
  });

  it('spaces neighbouring intersections blockM apart everywhere on the grid', () => {
    for (const i of [0, 7, n - 2]) {
      for (const j of [0, 15, n - 2]) {
        const here = intersection(demoCity, i, j);
        within(haversineMeters(here, intersection(demoCity, i + 1, j)), demoCity.blockM, 0.005);
        within(haversineMeters(here, intersection(demoCity, i, j + 1)), demoCity.blockM, 0.005);
      }
    }
  });

  it('keeps streets straight: one latitude per row and one longitude per column', () => {
    for (let k = 0; k < n; k++) {
      const row = intersection(demoCity, 0, k).lat;
      const column = intersection(demoCity, k, 0).lng;
      for (let m = 0; m < n; m += 5) {
        expect(intersection(demoCity, m, k).lat).toBe(row);
        expect(intersection(demoCity, k, m).lng).toBe(column);
      }
    }
  });

  it('lays out 2 × gridSize streets: avenues first, then cross streets, each spanning the grid', () => {
    const lines = streetLines(demoCity);
    expect(lines).toHaveLength(2 * n);
    const sw = intersection(demoCity, 0, 0);
    const ne = intersection(demoCity, n - 1, n - 1);
    for (let i = 0; i < n; i++) {
      const [start, end] = lines[i]!;
      expect(start!.lng).toBe(end!.lng);
      expect(start!.lat).toBe(sw.lat);
      expect(end!.lat).toBe(ne.lat);
      expect(start!.lng).toBe(intersection(demoCity, i, 0).lng);
    }
    for (let j = 0; j < n; j++) {
      const [start, end] = lines[n + j]!;
      expect(start!.lat).toBe(end!.lat);
      expect(start!.lng).toBe(sw.lng);
      expect(end!.lng).toBe(ne.lng);
      expect(start!.lat).toBe(intersection(demoCity, 0, j).lat);
    }
  });

  it('follows the configuration of another city', () => {
    const city: CityConfig = {
      id: 'x',
      name: 'X',
      center: { lat: 51.5, lng: -0.12 },
      radiusM: 1_000,
      blockM: 250,
    };
    expect(gridSize(city)).toBe(9);
    expect(streetLines(city)).toHaveLength(18);
    within(haversineMeters(intersection(city, 0, 0), intersection(city, 1, 0)), 250, 0.005);
    within(haversineMeters(intersection(city, 0, 0), intersection(city, 8, 0)), 2_000, 0.005);
  });
});
