import { latLngToCell } from 'h3-js';
import type { Result } from 'ioredis';
import type { AvailabilityState, PresencePolicy } from '@/domain/driver-availability';
import type { LocationRecord } from '@/domain/driver-events';
import { haversineMeters, type LatLng } from '@/domain/geo';
import { originCell, ringCells } from '@/domain/h3-search';
import type { LastAccepted } from '@/domain/location';
import type { LiveDriver } from '@/domain/realtime-contract';
import type { Redis } from '../infra/redis';
import { applyPositionsScript, readCellsScript, setStateScript } from './live-index-scripts';
import { decodeGeoScore } from './redis-geo-score';

/** H3 resolution of the dispatch index: cells of about 0.1 km², ~200 m across. */
export const indexResolution = 9;
/** The presence set needs seconds, not milliseconds: refresh it at most this often per driver. */
const onlineRefreshMs = 5_000;

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
  version: number;
  sessionId: string | null;
  vehicleTypeId: string | null;
  last: LastAccepted | null;
}

export interface NearestQuery extends LatLng {
  vehicleTypeId: string;
  k: number;
  /** Give up beyond this distance (straight line). */
  maxRadiusM: number;
  nowMs: number;
}

export interface NearestDriver {
  driverId: string;
  lat: number;
  lng: number;
  distanceM: number;
  lastSeenAt: number;
}

export interface NearestResult {
  drivers: NearestDriver[];
  /** Cell keys read and candidates verified: the query's cost. */
  cellsRead: number;
  verified: number;
}

declare module 'ioredis' {
  interface RedisCommander<Context> {
    odSetState(args: (string | number)[]): Result<number, Context>;
    odApplyPositions(args: (string | number)[]): Result<number, Context>;
    odReadCells(keyCount: number, ...keys: string[]): Result<string[][], Context>;
  }
}

/**
 * One script call writes at most this many drivers: it keeps each call's time inside Redis short
 * (a script blocks every other client; ~10 µs a driver, so ~5 ms) and its argument list far from
 * any stack limit.
 */
const maxDriversPerScript = 500;

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/** Geohash scores are quantised to ~0.6 m; candidates within this of the cut-off are verified too. */
const positionSlackM = 2;
const maxRings = 60;

/** The live, in-Redis view of every online driver: state, last position, H3 cell membership. */
export class LiveIndex {
  readonly prefix: string;
  private readonly bucketWidthMs: number;

  constructor(
    private readonly redis: Redis,
    options: { prefix: string; presence: PresencePolicy },
  ) {
    this.prefix = options.prefix;
    this.bucketWidthMs = options.presence.staleAfterMs;
    redis.defineCommand('odSetState', { numberOfKeys: 0, lua: setStateScript });
    redis.defineCommand('odApplyPositions', { numberOfKeys: 0, lua: applyPositionsScript });
    redis.defineCommand('odReadCells', { lua: readCellsScript });
  }

  private get bucketTtlS(): number {
    return Math.ceil((1.5 * this.bucketWidthMs) / 1000) + 5;
  }

  driverKey(driverId: string): string {
    return `${this.prefix}:drv:${driverId}`;
  }

  private cellKey(vehicleTypeId: string, cell: string, bucket: number): string {
    return `${this.prefix}:cell:${vehicleTypeId}:${cell}:${bucket}`;
  }

  /** Applies state changes whose version is newer than what the index holds; returns how many applied. */
  async setStates(entries: DriverStateEntry[]): Promise<number> {
    let applied = 0;
    for (const chunk of chunks(entries, maxDriversPerScript)) {
      const args: (string | number)[] = [this.prefix, this.bucketWidthMs, this.bucketTtlS];
      for (const e of chunk) {
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
      applied += await this.redis.odSetState(args);
    }
    return applied;
  }

  /**
   * Applies positions (at most one per driver: callers coalesce); stale, replayed and offline
   * drivers' positions are ignored. The bounded script calls are pipelined: one round trip, while
   * Redis still serves other clients between them.
   */
  async applyPositions(records: readonly LocationRecord[]): Promise<number> {
    const calls: Promise<number>[] = [];
    for (const chunk of chunks(records, maxDriversPerScript)) {
      const rows = chunk.map((r) => [
        r.driverId,
        r.sessionId,
        r.seq,
        r.at,
        r.lat,
        r.lng,
        r.receivedAt,
        latLngToCell(r.lat, r.lng, indexResolution),
        r.headingDeg ?? '',
      ]);
      calls.push(
        this.redis.odApplyPositions([
          this.prefix,
          this.bucketWidthMs,
          this.bucketTtlS,
          onlineRefreshMs,
          JSON.stringify(rows),
        ]),
      );
    }
    return (await Promise.all(calls)).reduce((n, applied) => n + applied, 0);
  }

  async ingestView(driverId: string): Promise<IngestView | null> {
    const [state, sess, vt, seq, at, lat, lng, ver] = await this.redis.hmget(
      this.driverKey(driverId),
      'state',
      'sess',
      'vt',
      'seq',
      'at',
      'lat',
      'lng',
      'ver',
    );
    if (!state) return null;
    const last =
      seq && at && lat && lng
        ? { seq: Number(seq), at: Number(at), lat: Number(lat), lng: Number(lng), jumpStreak: 0 }
        : null;
    return {
      state: state as AvailabilityState,
      version: Number(ver ?? 0),
      sessionId: sess || null,
      vehicleTypeId: vt || null,
      last,
    };
  }

  /**
   * The k nearest *available*, fresh drivers of a vehicle type, by straight-line distance.
   * Best-first over H3 rings: cells are read ring by ring, skipping any cell that cannot hold a
   * driver nearer than the k-th confirmed so far, and stopping once a whole ring cannot.
   * Candidates come with positions decoded from the GEO scores; after each ring the nearest
   * unchecked ones are verified against their hash (state, vehicle type, freshness, exact
   * position), and only verified drivers set the cut-off. That makes the answer exact.
   */
  async nearest(query: NearestQuery): Promise<NearestResult> {
    const bucket = Math.floor(query.nowMs / this.bucketWidthMs);
    const search = new NearestSearch(query, this.bucketWidthMs);
    const origin = originCell(query, indexResolution);
    let cellsRead = 0;
    for (let ring = 0; ring <= maxRings; ring++) {
      const limit = Math.min(search.cutoff() + positionSlackM, query.maxRadiusM);
      const cells = ringCells(query, origin, ring);
      // Every later ring lies beyond this one: if none of its cells can help, nothing further can.
      if (Math.min(...cells.map((c) => c.boundM)) > limit) break;
      const keys: string[] = [];
      for (const { cell, boundM } of cells) {
        if (boundM > limit) continue;
        keys.push(
          this.cellKey(query.vehicleTypeId, cell, bucket),
          this.cellKey(query.vehicleTypeId, cell, bucket - 1),
        );
      }
      cellsRead += keys.length;
      const replies = keys.length > 0 ? await this.redis.odReadCells(keys.length, ...keys) : [];
      for (const flat of replies) {
        for (let i = 0; i < flat.length; i += 2) {
          search.offer(flat[i]!, haversineMeters(query, decodeGeoScore(Number(flat[i + 1]))));
        }
      }
      await search.verify((ids) => this.readForVerification(ids));
    }
    return { drivers: search.result(), verified: search.verified, cellsRead };
  }

  private async readForVerification(ids: string[]): Promise<(string | null)[][]> {
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hmget(this.driverKey(id), 'state', 'vt', 'lat', 'lng', 'rx');
    return ((await pipeline.exec()) ?? []).map(([error, value]) => {
      if (error) throw error;
      return value as (string | null)[];
    });
  }

  /** Every online driver with a known position (operations map snapshots, realtime start-up). */
  async snapshot(): Promise<LiveDriver[]> {
    const ids = await this.redis.zrange(`${this.prefix}:online`, '0', '-1');
    const drivers: LiveDriver[] = [];
    for (let start = 0; start < ids.length; start += 5_000) {
      const slice = ids.slice(start, start + 5_000);
      const pipeline = this.redis.pipeline();
      for (const id of slice)
        pipeline.hmget(this.driverKey(id), 'state', 'vt', 'lat', 'lng', 'rx', 'hd', 'seq', 'at');
      const rows = (await pipeline.exec()) ?? [];
      rows.forEach(([error, value], i) => {
        if (error) return;
        const [state, vt, lat, lng, rx, hd, seq, at] = value as (string | null)[];
        if (!state || state === 'offline' || !lat || !lng || !rx) return;
        drivers.push({
          driverId: slice[i]!,
          state: state as AvailabilityState,
          vehicleTypeId: vt ?? '',
          lat: Number(lat),
          lng: Number(lng),
          lastSeenAt: Number(rx),
          ...(hd ? { headingDeg: Number(hd) } : {}),
          ...(seq && at ? { seq: Number(seq), at: Number(at) } : {}),
        });
      });
    }
    return drivers;
  }

  /** Drivers online whose last sign of life is older than `beforeMs`. */
  async silentSince(beforeMs: number, limit = 500): Promise<string[]> {
    return this.redis.zrangebyscore(`${this.prefix}:online`, '-inf', String(beforeMs), 'LIMIT', 0, limit);
  }
}

/** The bookkeeping of one nearest-driver search: candidates, verified drivers, the cut-off. */
class NearestSearch {
  private readonly pending = new Map<string, number>();
  private readonly checked = new Set<string>();
  private readonly confirmed: NearestDriver[] = [];
  verified = 0;

  constructor(
    private readonly query: NearestQuery,
    private readonly freshForMs: number,
  ) {}

  offer(driverId: string, approxDistanceM: number): void {
    if (this.checked.has(driverId) || approxDistanceM > this.query.maxRadiusM + positionSlackM) return;
    const seen = this.pending.get(driverId);
    if (seen === undefined || approxDistanceM < seen) this.pending.set(driverId, approxDistanceM);
  }

  /** Distance of the k-th verified driver, or infinity while fewer than k are verified. */
  cutoff(): number {
    return this.confirmed.length >= this.query.k
      ? this.confirmed[this.query.k - 1]!.distanceM
      : Number.POSITIVE_INFINITY;
  }

  /** Verifies pending candidates nearest-first until none left could enter the top k. */
  async verify(read: (ids: string[]) => Promise<(string | null)[][]>): Promise<void> {
    const ordered = [...this.pending].sort((a, b) => a[1] - b[1]);
    const freshAfter = this.query.nowMs - this.freshForMs;
    let next = 0;
    while (next < ordered.length && ordered[next]![1] <= this.cutoff() + positionSlackM) {
      const chunk = ordered.slice(next, next + Math.max(this.query.k, 8));
      next += chunk.length;
      const rows = await read(chunk.map(([id]) => id));
      this.verified += chunk.length;
      chunk.forEach(([id], i) => {
        this.pending.delete(id);
        this.checked.add(id);
        const [state, vt, lat, lng, rx] = rows[i]!;
        if (
          state !== 'available' ||
          vt !== this.query.vehicleTypeId ||
          !lat ||
          !lng ||
          Number(rx) < freshAfter
        )
          return;
        const position = { lat: Number(lat), lng: Number(lng) };
        const distanceM = haversineMeters(this.query, position);
        if (distanceM <= this.query.maxRadiusM) {
          this.confirmed.push({ driverId: id, ...position, distanceM, lastSeenAt: Number(rx) });
        }
      });
      this.confirmed.sort((a, b) => a.distanceM - b.distanceM || a.driverId.localeCompare(b.driverId));
    }
  }

  result(): NearestDriver[] {
    return this.confirmed.slice(0, this.query.k);
  }
}
