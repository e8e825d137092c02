import type { AvailabilityState } from './driver-availability';
import { haversineMeters, type LatLng } from './geo';
import { LatLngGrid } from './nearest-grid';

/**
 * The nearest-driver index held in memory by the processes that dispatch (docs/decisions/0018-…).
 * It folds the same inputs as the Redis live index with the same rules (ADR 0004): a state change
 * applies only if its version is newer; a position only to an online driver of the same duty
 * session with a higher sequence number. Queries answer exactly what a brute force over every
 * driver would: available, of the vehicle type, heard within `staleAfterMs`, within the radius,
 * nearest first by great-circle distance, ties by driver id.
 */

export interface StateChange {
  driverId: string;
  version: number;
  state: AvailabilityState;
  sessionId: string | null;
  vehicleTypeId: string | null;
  at: number;
}

export interface PositionUpdate extends LatLng {
  driverId: string;
  sessionId: string;
  seq: number;
  at: number;
  /** Server clock when realtime accepted the ping: freshness is judged on it. */
  receivedAt: number;
}

export interface NearestIndexQuery extends LatLng {
  vehicleTypeId: string;
  k: number;
  maxRadiusM: number;
  nowMs: number;
}

export interface NearestHit extends LatLng {
  driverId: string;
  distanceM: number;
  lastSeenAt: number;
}

export interface NearestAnswer {
  drivers: NearestHit[];
  /** Grid cells looked up and drivers whose distance was computed: the query's cost. */
  cellsRead: number;
  verified: number;
}

interface Entry {
  driverId: string;
  version: number;
  state: AvailabilityState;
  sessionId: string | null;
  vehicleTypeId: string | null;
  seq: number;
  lat: number;
  lng: number;
  receivedAt: number;
  hasPosition: boolean;
  /** When the last applied state change happened (tombstones are pruned by it). */
  changedAt: number;
  /** Where the entry sits while it is searchable (available with a position), else null. */
  bucket: Entry[] | null;
  slot: number;
}

export interface NearestIndexOptions {
  staleAfterMs: number;
  /** Grid rows are this many degrees tall (~111 km per degree). */
  cellDeg?: number;
  /** The first search radius; it doubles until k are found or the query's radius is covered. */
  firstRadiusM?: number;
}

/** Float slack when choosing cells: a driver exactly on the radius must be in a visited cell. */
const cellSlackM = 1;

export class NearestDriverIndex {
  private readonly grid: LatLngGrid;
  private readonly entries = new Map<string, Entry>();
  /** Available drivers by vehicle type, grid row and column (small-integer keys: fast lookups). */
  private readonly buckets = new Map<string, Map<number, Map<number, Entry[]>>>();
  /**
   * The newest position of a driver whose duty session the index does not know yet: web writes a
   * go-online straight to Redis, so its first pings can reach Kafka before the event does.
   */
  private readonly early = new Map<string, PositionUpdate>();
  private readonly staleAfterMs: number;
  private readonly firstRadiusM: number;

  constructor(options: NearestIndexOptions) {
    this.grid = new LatLngGrid(options.cellDeg ?? 0.004);
    this.staleAfterMs = options.staleAfterMs;
    this.firstRadiusM = options.firstRadiusM ?? 400;
  }

  /** Drivers known (tombstones of offline drivers included) and positions waiting for their session. */
  get size(): { drivers: number; searchable: number; early: number } {
    let searchable = 0;
    for (const rows of this.buckets.values())
      for (const cols of rows.values()) for (const b of cols.values()) searchable += b.length;
    return { drivers: this.entries.size, searchable, early: this.early.size };
  }

  /** Applies a state change if its version is newer than the one held; true when applied. */
  applyState(change: StateChange): boolean {
    const entry = this.entries.get(change.driverId);
    if (entry && entry.version >= change.version) return false;
    if (!entry) {
      const created: Entry = {
        driverId: change.driverId,
        version: change.version,
        state: change.state,
        sessionId: change.sessionId,
        vehicleTypeId: change.vehicleTypeId,
        seq: 0,
        lat: 0,
        lng: 0,
        receivedAt: 0,
        hasPosition: false,
        changedAt: change.at,
        bucket: null,
        slot: -1,
      };
      this.entries.set(change.driverId, created);
      this.takeEarly(created);
      this.bucket(created);
      return true;
    }
    this.unbucket(entry);
    if (change.state === 'offline' || entry.state === 'offline') {
      // Offline keeps only the version (a tombstone); coming back starts from no position.
      entry.hasPosition = false;
      entry.seq = 0;
    }
    entry.version = change.version;
    entry.changedAt = change.at;
    entry.state = change.state;
    entry.sessionId = change.state === 'offline' ? null : change.sessionId;
    entry.vehicleTypeId = change.state === 'offline' ? null : change.vehicleTypeId;
    this.takeEarly(entry);
    this.bucket(entry);
    return true;
  }

  /** Applies a position to an online driver of the same session with a newer sequence number. */
  applyPosition(p: PositionUpdate): boolean {
    const entry = this.entries.get(p.driverId);
    if (!entry || entry.state === 'offline' || entry.sessionId !== p.sessionId) {
      const held = this.early.get(p.driverId);
      if (!held || held.sessionId !== p.sessionId || held.seq < p.seq) this.early.set(p.driverId, p);
      return false;
    }
    if (entry.seq >= p.seq) return false;
    const moved = !entry.hasPosition || !this.sameCell(entry, p);
    if (moved) this.unbucket(entry);
    entry.seq = p.seq;
    entry.lat = p.lat;
    entry.lng = p.lng;
    entry.receivedAt = p.receivedAt;
    entry.hasPosition = true;
    if (moved) this.bucket(entry);
    return true;
  }

  /**
   * Forgets what can no longer matter: positions still waiting for a session, received before
   * `earlyBefore`, and tombstones of drivers offline since before `tombstonesBefore` (Redis keeps
   * its tombstone a day: a replay older than that is not expected).
   */
  prune(earlyBefore: number, tombstonesBefore: number): number {
    let dropped = 0;
    for (const [id, p] of this.early)
      if (p.receivedAt < earlyBefore) {
        this.early.delete(id);
        dropped++;
      }
    for (const [id, e] of this.entries)
      if (e.state === 'offline' && e.changedAt < tombstonesBefore) {
        this.entries.delete(id);
        dropped++;
      }
    return dropped;
  }

  /**
   * Exact k nearest: every cell that may hold a driver within the current radius is read. Only
   * the best k are kept while reading (sorted insertion; k is small), so a query allocates little
   * besides its answer.
   */
  nearest(q: NearestIndexQuery): NearestAnswer {
    const rows = this.buckets.get(q.vehicleTypeId);
    const freshAfter = q.nowMs - this.staleAfterMs;
    const k = Math.max(0, Math.floor(q.k));
    const best: Entry[] = [];
    const bestM: number[] = [];
    let radiusM = Math.min(this.firstRadiusM, q.maxRadiusM);
    let cellsRead = 0;
    let verified = 0;
    for (;;) {
      best.length = 0;
      bestM.length = 0;
      let within = 0;
      if (rows && k > 0) {
        this.grid.forEachRowNear(q.lat, q.lng, radiusM + cellSlackM, (row, fromCol, count, n) => {
          cellsRead += count;
          const cols = rows.get(row);
          if (!cols) return;
          for (let i = 0, col = fromCol; i < count; i++, col = col + 1 === n ? 0 : col + 1) {
            const bucket = cols.get(col);
            if (!bucket) continue;
            for (const e of bucket) {
              if (e.receivedAt < freshAfter) continue;
              verified++;
              const m = haversineMeters(q, e);
              if (m > radiusM) continue;
              within++;
              keepBest(best, bestM, k, e, m);
            }
          }
        });
      }
      // Everything within `radiusM` was seen: with k of them, no driver further out can displace one.
      if (within >= k || radiusM >= q.maxRadiusM) {
        const drivers = best.map((e, i) => ({
          driverId: e.driverId,
          lat: e.lat,
          lng: e.lng,
          distanceM: bestM[i]!,
          lastSeenAt: e.receivedAt,
        }));
        return { drivers, cellsRead, verified };
      }
      radiusM = Math.min(radiusM * 2, q.maxRadiusM);
    }
  }

  private sameCell(a: LatLng, b: LatLng): boolean {
    const row = this.grid.rowOf(a.lat);
    return row === this.grid.rowOf(b.lat) && this.grid.colOf(row, a.lng) === this.grid.colOf(row, b.lng);
  }

  private takeEarly(entry: Entry): void {
    const p = this.early.get(entry.driverId);
    if (!p || entry.state === 'offline' || p.sessionId !== entry.sessionId) return;
    this.early.delete(entry.driverId);
    if (p.seq > entry.seq) {
      entry.seq = p.seq;
      entry.lat = p.lat;
      entry.lng = p.lng;
      entry.receivedAt = p.receivedAt;
      entry.hasPosition = true;
    }
  }

  private bucket(entry: Entry): void {
    if (entry.bucket || entry.state !== 'available' || !entry.hasPosition || !entry.vehicleTypeId) return;
    let rows = this.buckets.get(entry.vehicleTypeId);
    if (!rows) {
      rows = new Map();
      this.buckets.set(entry.vehicleTypeId, rows);
    }
    const row = this.grid.rowOf(entry.lat);
    let cols = rows.get(row);
    if (!cols) {
      cols = new Map();
      rows.set(row, cols);
    }
    const col = this.grid.colOf(row, entry.lng);
    let bucket = cols.get(col);
    if (!bucket) {
      bucket = [];
      cols.set(col, bucket);
    }
    entry.bucket = bucket;
    entry.slot = bucket.length;
    bucket.push(entry);
  }

  private unbucket(entry: Entry): void {
    const bucket = entry.bucket;
    if (!bucket) return;
    // Swap-remove: O(1), order inside a cell does not matter (results are sorted).
    const last = bucket.pop()!;
    if (last !== entry) {
      bucket[entry.slot] = last;
      last.slot = entry.slot;
    }
    entry.bucket = null;
    entry.slot = -1;
    // Empty cells stay (a few bytes each): drivers come back to the same streets.
  }
}

/**
 * Inserts a driver into the best-k lists (nearest first; ties by driver id with localeCompare, the
 * order of the Redis index and of the oracles) if it belongs there.
 */
function keepBest(best: Entry[], bestM: number[], k: number, e: Entry, m: number): void {
  let at = best.length;
  while (
    at > 0 &&
    (bestM[at - 1]! > m || (bestM[at - 1] === m && best[at - 1]!.driverId.localeCompare(e.driverId) > 0))
  )
    at--;
  if (at >= k) return;
  best.splice(at, 0, e);
  bestM.splice(at, 0, m);
  if (best.length > k) {
    best.pop();
    bestM.pop();
  }
}
