import { getHexagonEdgeLengthAvg, gridDisk, latLngToCell } from 'h3-js';

export interface Bounds {
  west: number;
  south: number;
  east: number;
  north: number;
}

/**
 * The H3 cells covering a map viewport, or null when there would be more than `max` (zoomed
 * far out: the map then shows density only). Samples the box on a grid finer than a cell and
 * adds one ring, so partly visible cells at the edges are included.
 */
export function viewportCells(bounds: Bounds, resolution: number, max: number): string[] | null {
  const edgeM = getHexagonEdgeLengthAvg(resolution, 'm');
  const midLat = (bounds.north + bounds.south) / 2;
  const stepLat = (edgeM / 111_320) * 0.8;
  const stepLng = stepLat / Math.max(0.1, Math.cos((midLat * Math.PI) / 180));
  const rows = Math.ceil((bounds.north - bounds.south) / stepLat) + 1;
  const cols = Math.ceil((bounds.east - bounds.west) / stepLng) + 1;
  // Rough area check before sampling: a cell is ~2.6 edge² in area.
  if (rows * cols * 0.8 ** 2 > max * 2.6 * 4) return null;
  const core = new Set<string>();
  for (let r = 0; r < rows; r++) {
    const lat = Math.min(bounds.north, bounds.south + r * stepLat);
    for (let c = 0; c < cols; c++)
      core.add(latLngToCell(lat, Math.min(bounds.east, bounds.west + c * stepLng), resolution));
  }
  const cells = new Set<string>();
  for (const cell of core) for (const n of gridDisk(cell, 1)) cells.add(n);
  return cells.size > max ? null : [...cells];
}
