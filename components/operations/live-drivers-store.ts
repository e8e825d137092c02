import type { AvailabilityState } from '@/domain/driver-availability';
import type { DriverStateChange, LiveDriver } from '@/domain/realtime-contract';

export interface DriverView extends LiveDriver {
  name: string | null;
  plate: string | null;
  /** Server time of the last state change applied; older position frames cannot undo it. */
  stateAt: number;
}

/** A snapshot row; names come from the driver directory and may not be known yet. */
export interface SnapshotRow extends LiveDriver {
  name?: string | null;
  plate?: string | null;
}

/**
 * The dispatcher's picture of the fleet, merged from a snapshot and the live streams in any
 * order: subscribe first, then load the snapshot, and let timestamps decide (newest wins).
 * Pure; the view re-renders from `version`.
 */
export class LiveDriversStore {
  readonly drivers = new Map<string, DriverView>();
  version = 0;
  /** serverTime − local time, from the last snapshot or frame. */
  clockOffsetMs = 0;

  applySnapshot(rows: readonly SnapshotRow[], serverTime: number, localNow: number): void {
    this.clockOffsetMs = serverTime - localNow;
    const present = new Set<string>();
    for (const row of rows) {
      present.add(row.driverId);
      const seen = this.drivers.get(row.driverId);
      if (!seen || row.lastSeenAt >= seen.lastSeenAt) {
        // A state change heard after the snapshot row was read stays: the row's state is older.
        const keepState = seen && seen.stateAt > row.lastSeenAt;
        this.drivers.set(row.driverId, {
          ...row,
          name: row.name ?? seen?.name ?? null,
          plate: row.plate ?? seen?.plate ?? null,
          state: keepState ? seen.state : row.state,
          stateAt: seen?.stateAt ?? 0,
        });
      } else {
        seen.name = row.name ?? seen.name;
        seen.plate = row.plate ?? seen.plate;
      }
    }
    // Absent from the snapshot and not heard of since it was taken: gone offline.
    for (const [id, d] of this.drivers)
      if (!present.has(id) && d.lastSeenAt <= serverTime) this.drivers.delete(id);
    this.version++;
  }

  /** Fills in names and plates looked up in the driver directory. */
  setNames(entries: readonly { id: string; name: string; plate: string | null }[]): void {
    for (const e of entries) {
      const d = this.drivers.get(e.id);
      if (d) {
        d.name = e.name;
        d.plate = e.plate;
      }
    }
    this.version++;
  }

  /** Ids of drivers whose name is not known yet. */
  unnamed(): string[] {
    const ids: string[] = [];
    for (const d of this.drivers.values()) if (d.name === null) ids.push(d.driverId);
    return ids;
  }

  /** Returns ids the store had no name for, so the view can look them up. */
  applyFrame(frame: readonly LiveDriver[], sentAt: number, localNow: number): string[] {
    this.clockOffsetMs = sentAt - localNow;
    const unknown: string[] = [];
    for (const d of frame) {
      const seen = this.drivers.get(d.driverId);
      if (!seen) {
        unknown.push(d.driverId);
        this.drivers.set(d.driverId, { ...d, name: null, plate: null, stateAt: 0 });
      } else if (d.lastSeenAt >= seen.lastSeenAt) {
        seen.lat = d.lat;
        seen.lng = d.lng;
        seen.lastSeenAt = d.lastSeenAt;
        if (d.headingDeg !== undefined) seen.headingDeg = d.headingDeg;
        if (d.lastSeenAt > seen.stateAt) seen.state = d.state;
      }
    }
    this.version++;
    return unknown;
  }

  applyStateChange(change: DriverStateChange): void {
    const seen = this.drivers.get(change.driverId);
    if (change.state === 'offline') {
      if (seen && change.at >= seen.stateAt) this.drivers.delete(change.driverId);
    } else if (seen && change.at >= seen.stateAt) {
      seen.state = change.state;
      seen.stateAt = change.at;
    }
    this.version++;
  }

  isStale(d: DriverView, localNow: number, staleAfterMs: number): boolean {
    return localNow + this.clockOffsetMs - d.lastSeenAt > staleAfterMs;
  }

  counts(localNow: number, staleAfterMs: number): Record<AvailabilityState | 'stale' | 'total', number> {
    const counts = {
      offline: 0,
      available: 0,
      paused: 0,
      offered: 0,
      en_route: 0,
      on_trip: 0,
      stale: 0,
      total: 0,
    };
    for (const d of this.drivers.values()) {
      counts[d.state]++;
      counts.total++;
      if (this.isStale(d, localNow, staleAfterMs)) counts.stale++;
    }
    return counts;
  }
}
