import { describe, expect, it } from 'vitest';
import { offsetMeters } from '@/domain/geo';
import { simplifyPath } from '@/domain/roads/simplify-path';

const o = { lat: -34.9, lng: -56.16 };
const at = (northM: number, eastM: number) => offsetMeters(o, northM, eastM);

describe('simplifyPath', () => {
  it('drops points on a straight stretch and keeps the corners', () => {
    // East 300 m in 10 m steps, then north 200 m: an L.
    const path = [
      ...Array.from({ length: 31 }, (_, i) => at(0, i * 10)),
      ...Array.from({ length: 20 }, (_, i) => at((i + 1) * 10, 300)),
    ];
    expect(simplifyPath(path)).toEqual([at(0, 0), at(0, 300), at(200, 300)]);
  });

  it('keeps a bend wider than the tolerance, drops a wobble within it', () => {
    const wobble = [at(0, 0), at(3, 50), at(0, 100)];
    expect(simplifyPath(wobble, 8)).toEqual([at(0, 0), at(0, 100)]);
    const bend = [at(0, 0), at(30, 50), at(0, 100)];
    expect(simplifyPath(bend, 8)).toEqual(bend);
  });

  it('leaves short paths alone', () => {
    expect(simplifyPath([])).toEqual([]);
    expect(simplifyPath([at(0, 0), at(5, 5)])).toEqual([at(0, 0), at(5, 5)]);
  });
});
