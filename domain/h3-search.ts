import { cellToBoundary, cellToLatLng, gridDisk, gridRing, latLngToCell } from 'h3-js';
import { haversineMeters, type LatLng } from './geo';

/**
 * Geometry for searching outward over H3 rings, exactly: every cell gets a lower bound on the
 * distance from the query point to anything inside it, so the search can stop as soon as no
 * unvisited cell can hold anything nearer than the k-th best found so far.
 */

const radiusCache = new Map<string, number>();

/** Largest distance from a cell's centre to its boundary, metres (cached; cells repeat). */
export function cellCircumradiusM(cell: string): number {
  let r = radiusCache.get(cell);
  if (r === undefined) {
    const [lat, lng] = cellToLatLng(cell);
    r = 0;
    for (const [vLat, vLng] of cellToBoundary(cell))
      r = Math.max(r, haversineMeters({ lat, lng }, { lat: vLat, lng: vLng }));
    if (radiusCache.size > 50_000) radiusCache.clear();
    radiusCache.set(cell, r);
  }
  return r;
}

/**
 * No point of `cell` is nearer to `point` than this. (Great-circle edges bulge slightly beyond the
 * vertices; 1 % on the radius covers it at city resolutions.)
 */
export function cellLowerBoundM(point: LatLng, cell: string): number {
  const [lat, lng] = cellToLatLng(cell);
  return Math.max(0, haversineMeters(point, { lat, lng }) - cellCircumradiusM(cell) * 1.01);
}

export interface RingCell {
  cell: string;
  boundM: number;
}

/** The cell a search starts from. */
export function originCell(point: LatLng, resolution: number): string {
  return latLngToCell(point.lat, point.lng, resolution);
}

/** The cells at grid distance `ring` from `origin` (the point's cell), each with its distance bound. */
export function ringCells(point: LatLng, origin: string, ring: number): RingCell[] {
  let cells: string[];
  try {
    cells = ring === 0 ? [origin] : gridRing(origin, ring);
  } catch {
    // Near a pentagon the ring can fail; the disk difference always works.
    const inner = new Set(ring === 0 ? [] : gridDisk(origin, ring - 1));
    cells = gridDisk(origin, ring).filter((c) => !inner.has(c));
  }
  return cells.map((cell) => ({ cell, boundM: cellLowerBoundM(point, cell) }));
}
