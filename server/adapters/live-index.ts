import { latLngToCell } from 'h3-js';
import type { Result } from 'ioredis';
import type { AvailabilityState } from '@/domain/driver-availability';
import type { LocationRecord } from '@/domain/driver-events';
import type { LastAccepted } from '@/domain/location';
import type { LiveDriver } from '@/domain/realtime-contract';
import type { Redis } from '../infra/redis';
import { applyPositionsScript, setStateScript } from './live-index-scripts';

/** H3 resolution of the dispatch index: cells of about 0.74 km², a few hundred metres across. */
export const indexResolution = 8;

export interface DriverStateEntry {
  driverId: string;
  version: number;
  state: AvailabilityState;
  sessionId: string | null;
  vehicleTypeId: string | null;
  vehicleId: string | null;
  at: number;
}

/** What ingest needs to know about a driver before it accepts a batch. */
export interface IngestView {
  state: AvailabilityState;
  sessionId: string | null;
  vehicleTypeId: string | null;
  last: LastAccepted | null;
}

export interface LiveIndexOptions {
  prefix: string;
  /** Entries not refreshed for this long are pruned from cells and ignored by readers. */
  offlineAfterMs: number;
}

declare module 'ioredis' {
  interface RedisCommander<Context> {
    odSetState(...args: (string | number)[]): Result<number, Context>;
    odApplyPositions(...args: (string | number)[]): Result<number, Context>;
  }
}

/** The live, in-Redis view of every online driver: state, last position, H3 cell membership. */
export class LiveIndex {
  readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    private readonly options: LiveIndexOptions,
  ) {
    this.prefix = options.prefix;
    redis.defineCommand('odSetState', { numberOfKeys: 0, lua: setStateScript });
    redis.defineCommand('odApplyPositions', { numberOfKeys: 0, lua: applyPositionsScript });
  }

  private get cellTtlS(): number {
    return Math.ceil((2 * this.options.offlineAfterMs) / 1000);
  }

  driverKey(driverId: string): string {
    return `${this.prefix}:drv:${driverId}`;
  }

  /** Applies state changes whose version is newer than what the index holds; returns how many applied. */
  async setStates(entries: DriverStateEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const args: (string | number)[] = [this.prefix, this.cellTtlS];
    for (const e of entries) {
      args.push(
        e.driverId,
        e.version,
        e.state,
        e.sessionId ?? '',
        e.vehicleTypeId ?? '',
        e.vehicleId ?? '',
        e.at,
      );
    }
    return this.redis.odSetState(...args);
  }

  /** Applies positions in order; stale, replayed and offline drivers' positions are ignored. */
  async applyPositions(records: LocationRecord[], nowMs: number): Promise<number> {
    if (records.length === 0) return 0;
    const args: (string | number)[] = [this.prefix, this.cellTtlS, nowMs - this.options.offlineAfterMs];
    for (const r of records) {
      const cell = latLngToCell(r.lat, r.lng, indexResolution);
      args.push(r.driverId, r.sessionId, r.seq, r.at, r.lat, r.lng, r.receivedAt, cell, r.headingDeg ?? '');
    }
    return this.redis.odApplyPositions(...args);
  }

  async ingestView(driverId: string): Promise<IngestView | null> {
    const [state, sess, vt, seq, at, lat, lng] = await this.redis.hmget(
      this.driverKey(driverId),
      'state',
      'sess',
      'vt',
      'seq',
      'at',
      'lat',
      'lng',
    );
    if (!state) return null;
    const last =
      seq && at && lat && lng
        ? { seq: Number(seq), at: Number(at), lat: Number(lat), lng: Number(lng), jumpStreak: 0 }
        : null;
    return { state: state as AvailabilityState, sessionId: sess || null, vehicleTypeId: vt || null, last };
  }

  /** Every online driver with a known position, for the operations map. */
  async snapshot(): Promise<LiveDriver[]> {
    const ids = await this.redis.zrange(`${this.prefix}:online`, '0', '-1');
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(this.driverKey(id), 'state', 'vt', 'lat', 'lng', 'rx', 'hd');
    const rows = (await pipeline.exec()) ?? [];
    const drivers: LiveDriver[] = [];
    rows.forEach(([error, value], i) => {
      if (error) return;
      const [state, vt, lat, lng, rx, hd] = value as (string | null)[];
      if (!state || state === 'offline' || !lat || !lng || !rx) return;
      drivers.push({
        driverId: ids[i]!,
        state: state as AvailabilityState,
        vehicleTypeId: vt ?? '',
        lat: Number(lat),
        lng: Number(lng),
        lastSeenAt: Number(rx),
        ...(hd ? { headingDeg: Number(hd) } : {}),
      });
    });
    return drivers;
  }

  /** Drivers online whose last sign of life is older than `beforeMs`. */
  async silentSince(beforeMs: number, limit = 500): Promise<string[]> {
    return this.redis.zrangebyscore(`${this.prefix}:online`, '-inf', String(beforeMs), 'LIMIT', 0, limit);
  }
}
