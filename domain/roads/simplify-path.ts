import type { LatLng } from '../geo';

/**
 * Fewer points for the same line (Ramer–Douglas–Peucker): every point dropped lies within
 * `toleranceM` of the simplified line. A route of a few kilometres has hundreds of nodes; a map
 * needs a few dozen to draw it street by street. Distances are measured on a local flat
 * projection, exact enough within a city.
 */
export function simplifyPath(path: readonly LatLng[], toleranceM = 8): LatLng[] {
  if (path.length <= 2) return [...path];
  const lat0 = (path[0]!.lat * Math.PI) / 180;
  const mPerDegLat = 111_320;
  const mPerDegLng = 111_320 * Math.cos(lat0);
  const xs = path.map((p) => p.lng * mPerDegLng);
  const ys = path.map((p) => p.lat * mPerDegLat);
  const keep = new Uint8Array(path.length);
  keep[0] = 1;
  keep[path.length - 1] = 1;
  // An explicit stack: a long route would recurse deeply.
  const stack: [number, number][] = [[0, path.length - 1]];
  while (stack.length > 0) {
    const [a, b] = stack.pop()!;
    let farthest = -1;
    let farthestM = toleranceM;
    for (let i = a + 1; i < b; i++) {
      const m = distanceToSegment(xs[i]!, ys[i]!, xs[a]!, ys[a]!, xs[b]!, ys[b]!);
      if (m > farthestM) {
        farthestM = m;
        farthest = i;
      }
    }
    if (farthest >= 0) {
      keep[farthest] = 1;
      stack.push([a, farthest], [farthest, b]);
    }
  }
  return path.filter((_, i) => keep[i] === 1);
}

function distanceToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSq = dx * dx + dy * dy;
  const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / lengthSq));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}
