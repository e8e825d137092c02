import { gridDisk } from 'h3-js';

/**
 * Dynamic pricing per H3 cell. Demand (open requests and recent quotes) over supply (idle
 * drivers), each smoothed over the neighbouring cells so one quiet street next to a busy one does
 * not make a price cliff, then mapped to a capped multiplier in 0.1 steps. Pure: the inputs come
 * from the live index and the demand counters; the result explains itself.
 */
export interface SurgePolicy {
  /** Demand ÷ supply at which surge starts. */
  threshold: number;
  /** Multiplier added per unit of ratio above the threshold. */
  slope: number;
  cap: number;
  /** Weight of each neighbour relative to the cell itself. */
  neighbourWeight: number;
}

export const defaultSurgePolicy: SurgePolicy = { threshold: 1, slope: 0.5, cap: 2.5, neighbourWeight: 0.5 };

export interface CellLoad {
  supply: number;
  demand: number;
}

export interface CellSurge extends CellLoad {
  cell: string;
  multiplier: number;
  reason: string | null;
}

export function computeSurge(
  loads: ReadonlyMap<string, CellLoad>,
  policy: SurgePolicy = defaultSurgePolicy,
): CellSurge[] {
  const out: CellSurge[] = [];
  for (const [cell] of loads) {
    let supply = 0;
    let demand = 0;
    for (const n of gridDisk(cell, 1)) {
      const load = loads.get(n);
      if (!load) continue;
      const w = n === cell ? 1 : policy.neighbourWeight;
      supply += w * load.supply;
      demand += w * load.demand;
    }
    const ratio = demand / Math.max(supply, 0.5);
    const raw = 1 + Math.max(0, ratio - policy.threshold) * policy.slope;
    const multiplier = Math.min(policy.cap, Math.round(raw * 10) / 10);
    const own = loads.get(cell)!;
    out.push({
      cell,
      supply: own.supply,
      demand: own.demand,
      multiplier,
      reason:
        multiplier > 1
          ? `High demand: ${Math.round(demand)} requests for ${Math.round(supply)} available cars nearby${multiplier >= policy.cap ? ' (capped)' : ''}`
          : null,
    });
  }
  return out;
}
