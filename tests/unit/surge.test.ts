import fc from 'fast-check';
import { gridDisk, gridDistance, latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import { type CellLoad, computeSurge, defaultSurgePolicy, type SurgePolicy } from '@/domain/surge';

const centre = latLngToCell(12.9716, 77.5946, 7);
const neighbour = gridDisk(centre, 1).find((c) => c !== centre)!;
/** Three rings out: no neighbour of the centre or of `neighbour`. */
const distant = gridDisk(centre, 3).find(
  (c) => gridDistance(centre, c) === 3 && gridDistance(neighbour, c) >= 2,
)!;

const load = (supply: number, demand: number): CellLoad => ({ supply, demand });
const surgeOf = (loads: [string, CellLoad][], policy?: SurgePolicy) => {
  const out = computeSurge(new Map(loads), policy);
  return new Map(out.map((s) => [s.cell, s]));
};
const alone = (supply: number, demand: number, policy?: SurgePolicy) =>
  surgeOf([[centre, load(supply, demand)]], policy).get(centre)!;

describe('computeSurge for one cell', () => {
  it('has no surge (and no reason) while demand does not exceed supply', () => {
    expect(alone(5, 0)).toMatchObject({ multiplier: 1, reason: null });
    expect(alone(5, 5)).toMatchObject({ multiplier: 1, reason: null });
    expect(alone(0, 0)).toMatchObject({ multiplier: 1, reason: null });
  });

  it('adds the slope per unit of demand ÷ supply above the threshold, and says why', () => {
    expect(alone(2, 6)).toEqual({
      cell: centre,
      supply: 2,
      demand: 6,
      multiplier: 2,
      reason: 'High demand: 6 requests for 2 available cars nearby',
    });
    expect(alone(10, 14).multiplier).toBe(1.2);
    expect(alone(10, 32).multiplier).toBe(2.1);
  });

  it('moves in 0.1 steps: a small excess rounds away to no surge, and no reason', () => {
    expect(alone(100, 108)).toMatchObject({ multiplier: 1, reason: null }); // raw 1.04
    expect(alone(100, 112).multiplier).toBe(1.1); // raw 1.06
  });

  it('counts no supply as half a car rather than dividing by zero', () => {
    expect(alone(0, 1).multiplier).toBe(1.5); // ratio 2
    expect(alone(0, 1).reason).toBe('High demand: 1 requests for 0 available cars nearby');
  });

  it('caps the multiplier and says so', () => {
    expect(alone(1, 100)).toMatchObject({
      multiplier: defaultSurgePolicy.cap,
      reason: 'High demand: 100 requests for 1 available cars nearby (capped)',
    });
    const policy = { ...defaultSurgePolicy, cap: 1.8 };
    expect(alone(1, 100, policy).multiplier).toBe(1.8);
    expect(alone(10, 14, policy)).toMatchObject({
      multiplier: 1.2,
      reason: expect.not.stringContaining('capped'),
    });
  });

  it('follows the policy threshold and slope', () => {
    const policy: SurgePolicy = { threshold: 2, slope: 1, cap: 3, neighbourWeight: 0.5 };
    expect(alone(10, 20, policy).multiplier).toBe(1);
    expect(alone(10, 25, policy).multiplier).toBe(1.5);
  });
});

describe('computeSurge smoothing over neighbour cells', () => {
  it('lets a busy cell raise its quiet neighbour a little, and leaves cells further away alone', () => {
    const s = surgeOf([
      [centre, load(2, 10)],
      [neighbour, load(2, 0)],
      [distant, load(2, 0)],
    ]);
    // Centre: demand 10 + ½·0, supply 2 + ½·2 → ratio 3.33 → 2.17 → 2.2.
    expect(s.get(centre)).toMatchObject({ supply: 2, demand: 10, multiplier: 2.2 });
    expect(s.get(centre)!.reason).toBe('High demand: 10 requests for 3 available cars nearby');
    // Neighbour: demand ½·10, supply 2 + ½·2 → ratio 1.67 → 1.33 → 1.3; it reports its own counts.
    expect(s.get(neighbour)).toEqual({
      cell: neighbour,
      supply: 2,
      demand: 0,
      multiplier: 1.3,
      reason: 'High demand: 5 requests for 3 available cars nearby',
    });
    expect(s.get(distant)).toMatchObject({ multiplier: 1, reason: null });
    // Unsmoothed, the centre alone would be capped at 2.5: the neighbour's cars soften the cliff.
    expect(alone(2, 10).multiplier).toBe(2.5);
  });

  it('weighs neighbours by the policy (0: none, 1: as much as the cell itself)', () => {
    const loads: [string, CellLoad][] = [
      [centre, load(4, 4)],
      [neighbour, load(0, 4)],
    ];
    const none = surgeOf(loads, { ...defaultSurgePolicy, neighbourWeight: 0 });
    expect(none.get(centre)!.multiplier).toBe(1); // 4 / 4
    expect(none.get(neighbour)!.multiplier).toBe(2.5); // 4 / ½ car, capped
    const equal = surgeOf(loads, { ...defaultSurgePolicy, neighbourWeight: 1 });
    expect(equal.get(centre)!.multiplier).toBe(1.5); // 8 / 4 for both
    expect(equal.get(neighbour)!.multiplier).toBe(1.5);
  });

  it('reports every cell it was given, once, and nothing for cells it was not', () => {
    const out = computeSurge(
      new Map([
        [centre, load(1, 1)],
        [distant, load(0, 3)],
      ]),
    );
    expect(out.map((s) => s.cell).sort()).toEqual([centre, distant].sort());
    expect(computeSurge(new Map())).toEqual([]);
  });
});

describe('computeSurge properties', () => {
  const disk = gridDisk(centre, 2);
  const loadsArb = fc.array(fc.tuple(fc.nat(20), fc.nat(60)), {
    minLength: disk.length,
    maxLength: disk.length,
  });
  const toMap = (pairs: [number, number][]) => new Map(disk.map((c, i) => [c, load(...pairs[i]!)]));

  it('stays within 1 and the cap, in 0.1 steps, with a reason exactly when above 1', () => {
    fc.assert(
      fc.property(loadsArb, (pairs) => {
        for (const s of computeSurge(toMap(pairs))) {
          expect(s.multiplier).toBeGreaterThanOrEqual(1);
          expect(s.multiplier).toBeLessThanOrEqual(defaultSurgePolicy.cap);
          expect(Math.abs(s.multiplier * 10 - Math.round(s.multiplier * 10))).toBeLessThan(1e-9);
          expect(s.reason === null).toBe(s.multiplier === 1);
        }
      }),
    );
  });

  it('never lowers a price when demand grows, nor raises one when supply grows', () => {
    fc.assert(
      fc.property(loadsArb, fc.nat(disk.length - 1), fc.integer({ min: 1, max: 10 }), (pairs, at, more) => {
        const before = new Map(computeSurge(toMap(pairs)).map((s) => [s.cell, s.multiplier]));
        const busier = pairs.map(([s, d], i): [number, number] => (i === at ? [s, d + more] : [s, d]));
        const roomier = pairs.map(([s, d], i): [number, number] => (i === at ? [s + more, d] : [s, d]));
        for (const s of computeSurge(toMap(busier)))
          expect(s.multiplier).toBeGreaterThanOrEqual(before.get(s.cell)!);
        for (const s of computeSurge(toMap(roomier)))
          expect(s.multiplier).toBeLessThanOrEqual(before.get(s.cell)!);
      }),
    );
  });
});
