import { cellToBoundary, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { viewportCells } from '@/components/map/viewport-cells';

const city = { west: 77.53, south: 12.92, east: 77.66, north: 13.03 };

describe('viewport cells', () => {
  it('covers every point of the viewport, including its edges and corners', () => {
    const cells = new Set(viewportCells(city, 6, 400)!);
    for (let i = 0; i <= 40; i++) {
      for (let j = 0; j <= 40; j++) {
        const lat = city.south + ((city.north - city.south) * i) / 40;
        const lng = city.west + ((city.east - city.west) * j) / 40;
        expect(cells.has(latLngToCell(lat, lng, 6))).toBe(true);
      }
    }
  });

  it('stays close to the viewport (no far-away cells)', () => {
    const cells = viewportCells(city, 6, 400)!;
    for (const cell of cells) {
      const near = cellToBoundary(cell).some(
        ([lat, lng]) =>
          lat > city.south - 0.1 && lat < city.north + 0.1 && lng > city.west - 0.1 && lng < city.east + 0.1,
      );
      expect(near).toBe(true);
    }
  });

  it('gives up (null) when a zoomed-out view would need too many cells', () => {
    expect(viewportCells({ west: 68, south: 8, east: 97, north: 35 }, 6, 400)).toBeNull();
    expect(viewportCells(city, 6, 3)).toBeNull();
  });
});
