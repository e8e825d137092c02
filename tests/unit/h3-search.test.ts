import { cellToBoundary, cellToLatLng, gridDisk, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { haversineMeters, offsetMeters } from '@/domain/geo';
import { cellLowerBoundM, originCell, ringCells } from '@/domain/h3-search';
import { seededRandom } from '@/domain/seeded-random';

const centre = { lat: 12.9716, lng: 77.5946 };

describe('H3 ring search geometry', () => {
  it('never bounds a cell above the distance to any point inside it (the search relies on it)', () => {
    const random = seededRandom(3);
    for (let i = 0; i < 300; i++) {
      const query = offsetMeters(centre, (random() - 0.5) * 20_000, (random() - 0.5) * 20_000);
      const cell = latLngToCell(query.lat + (random() - 0.5) * 0.05, query.lng + (random() - 0.5) * 0.05, 9);
      const bound = cellLowerBoundM(query, cell);
      // Points inside the cell: its vertices, its centre, and blends of them.
      const [cLat, cLng] = cellToLatLng(cell);
      for (const [vLat, vLng] of cellToBoundary(cell)) {
        for (const f of [0, 0.5, 0.99]) {
          const inside = { lat: cLat + (vLat - cLat) * f, lng: cLng + (vLng - cLng) * f };
          expect(haversineMeters(query, inside)).toBeGreaterThanOrEqual(bound - 1e-6);
        }
      }
    }
  });

  it('bounds the point’s own cell by 0 and grows with the ring', () => {
    const origin = originCell(centre, 9);
    expect(ringCells(centre, origin, 0)).toEqual([{ cell: origin, boundM: 0 }]);
    const minOf = (ring: number) => Math.min(...ringCells(centre, origin, ring).map((c) => c.boundM));
    expect(minOf(3)).toBeGreaterThan(minOf(1));
    expect(minOf(6)).toBeGreaterThan(minOf(3));
  });

  it('returns exactly the cells at that grid distance', () => {
    const origin = originCell(centre, 9);
    const ring2 = new Set(ringCells(centre, origin, 2).map((c) => c.cell));
    const expected = gridDisk(origin, 2).filter((c) => !gridDisk(origin, 1).includes(c));
    expect(ring2).toEqual(new Set(expected));
    expect(ring2.size).toBe(12);
  });
});
