import { noSurge, type Surge } from '@/domain/pricing';
import type { CellLoad, CellSurge } from '@/domain/surge';
import type { Redis } from '../infra/redis';

const minuteMs = 60_000;

/**
 * Surge's inputs and outputs in Redis, per H3 res-7 cell:
 *   P:surge:demand:<minute>  hash cell → quotes and requests that minute (kept 15 min)
 *   P:surge:supply           hash cell → available drivers, written by realtime from its fleet view
 *   P:surge:cells            hash cell → JSON {multiplier, supply, demand, reason}, written by the surge job
 */
export class SurgeStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async recordDemand(cell: string, nowMs: number): Promise<void> {
    const key = `${this.prefix}:surge:demand:${Math.floor(nowMs / minuteMs)}`;
    await this.redis
      .multi()
      .hincrby(key, cell, 1)
      .expire(key, 15 * 60)
      .exec();
  }

  /** Demand per cell over the last `windowMin` minutes. */
  async demand(nowMs: number, windowMin = 5): Promise<Map<string, number>> {
    const minute = Math.floor(nowMs / minuteMs);
    const pipeline = this.redis.pipeline();
    for (let m = minute - windowMin + 1; m <= minute; m++)
      pipeline.hgetall(`${this.prefix}:surge:demand:${m}`);
    const totals = new Map<string, number>();
    for (const [, value] of (await pipeline.exec()) ?? []) {
      for (const [cell, count] of Object.entries((value ?? {}) as Record<string, string>)) {
        totals.set(cell, (totals.get(cell) ?? 0) + Number(count));
      }
    }
    return totals;
  }

  async writeSupply(supply: ReadonlyMap<string, number>): Promise<void> {
    const key = `${this.prefix}:surge:supply`;
    const multi = this.redis.multi().del(key);
    if (supply.size > 0) multi.hset(key, Object.fromEntries(supply));
    await multi.expire(key, 60).exec();
  }

  async supply(): Promise<Map<string, number>> {
    const raw = await this.redis.hgetall(`${this.prefix}:surge:supply`);
    return new Map(Object.entries(raw).map(([cell, n]) => [cell, Number(n)]));
  }

  /** Both inputs, merged per cell, for the surge computation. */
  async loads(nowMs: number): Promise<Map<string, CellLoad>> {
    const [supply, demand] = await Promise.all([this.supply(), this.demand(nowMs)]);
    const loads = new Map<string, CellLoad>();
    for (const [cell, n] of supply) loads.set(cell, { supply: n, demand: 0 });
    for (const [cell, n] of demand) loads.set(cell, { supply: loads.get(cell)?.supply ?? 0, demand: n });
    return loads;
  }

  async writeSurge(cells: readonly CellSurge[]): Promise<void> {
    const key = `${this.prefix}:surge:cells`;
    const multi = this.redis.multi().del(key);
    const surging = cells.filter((c) => c.multiplier > 1 || c.demand > 0);
    if (surging.length > 0)
      multi.hset(key, Object.fromEntries(surging.map((c) => [c.cell, JSON.stringify(c)])));
    await multi.expire(key, 120).exec();
  }

  async surgeFor(cell: string): Promise<Surge> {
    const raw = await this.redis.hget(`${this.prefix}:surge:cells`, cell);
    if (!raw) return noSurge;
    const c = JSON.parse(raw) as CellSurge;
    return { multiplier: c.multiplier, reason: c.reason };
  }

  async all(): Promise<CellSurge[]> {
    return Object.values(await this.redis.hgetall(`${this.prefix}:surge:cells`)).map(
      (v) => JSON.parse(v) as CellSurge,
    );
  }
}
