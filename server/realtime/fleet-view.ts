import { cellToParent, latLngToCell } from 'h3-js';
import type { DriverStateEvent, LocationRecord } from '@/domain/driver-events';
import { type LiveDriver, viewportResolution } from '@/domain/realtime-contract';

/** The density heatmap uses res 7 (~5 km²). */
export const densityResolution = 7;

/** One driver in the fleet view. Updated in place: at 25k positions a second, allocation is GC time. */
export interface FleetEntry {
  /** What clients receive; the same object every time. */
  readonly live: LiveDriver;
  sessionId: string | null;
  densityCell: string;
  viewCell: string;
  /** The viewport cell the driver was in when the current fan-out interval began, if it changed since. */
  leftCell: string | null;
  /** Server time of the last state event applied; older position records cannot undo it. */
  stateAt: number;
}

export interface DensityCell {
  cell: string;
  available: number;
  busy: number;
  stale: number;
}

/**
 * This realtime instance's picture of every online driver, fed by the Kafka streams it reads
 * anyway and hydrated from the live index at start-up. It answers viewport snapshots without
 * touching Redis, and knows which viewport cell each driver was in, so a driver leaving a
 * watched area is shown leaving. Pure apart from h3: one latLngToCell per position.
 */
export class FleetView {
  private readonly drivers = new Map<string, FleetEntry>();
  /**
   * Duty sessions that ended, per driver. The positions and state events of a driver travel on
   * different topics, so a position sent just before going offline can arrive after the offline
   * event: without this, it would bring the driver back onto every map as a ghost.
   */
  private readonly ended = new Map<string, string>();

  get size(): number {
    return this.drivers.size;
  }

  hydrate(drivers: readonly LiveDriver[]): void {
    for (const d of drivers) {
      const seen = this.drivers.get(d.driverId);
      if (seen && seen.live.lastSeenAt >= d.lastSeenAt) continue;
      const densityCell = latLngToCell(d.lat, d.lng, densityResolution);
      this.drivers.set(d.driverId, {
        live: { ...d },
        sessionId: null,
        densityCell,
        viewCell: cellToParent(densityCell, viewportResolution),
        leftCell: null,
        stateAt: seen?.stateAt ?? 0,
      });
    }
  }

  /** Applies one position; returns the updated entry, or null when the record is stale. */
  applyLocation(r: LocationRecord): FleetEntry | null {
    if (this.ended.get(r.driverId) === r.sessionId) return null;
    const densityCell = latLngToCell(r.lat, r.lng, densityResolution);
    let e = this.drivers.get(r.driverId);
    if (!e) {
      e = {
        live: {
          driverId: r.driverId,
          lat: r.lat,
          lng: r.lng,
          state: r.state,
          vehicleTypeId: r.vehicleTypeId,
          lastSeenAt: r.receivedAt,
        },
        sessionId: r.sessionId,
        densityCell,
        viewCell: cellToParent(densityCell, viewportResolution),
        leftCell: null,
        stateAt: 0,
      };
      this.drivers.set(r.driverId, e);
    } else if (e.live.lastSeenAt > r.receivedAt) {
      return null;
    } else if (densityCell !== e.densityCell) {
      const viewCell = cellToParent(densityCell, viewportResolution);
      if (viewCell !== e.viewCell && e.leftCell === null) e.leftCell = e.viewCell;
      e.densityCell = densityCell;
      e.viewCell = viewCell;
    }
    const live = e.live;
    live.lat = r.lat;
    live.lng = r.lng;
    live.lastSeenAt = r.receivedAt;
    live.vehicleTypeId = r.vehicleTypeId;
    live.seq = r.seq;
    live.at = r.at;
    if (r.headingDeg !== undefined) live.headingDeg = r.headingDeg;
    if (r.receivedAt >= e.stateAt) live.state = r.state;
    e.sessionId = r.sessionId;
    return e;
  }

  applyState(event: Pick<DriverStateEvent, 'driverId' | 'state' | 'at' | 'endedSessionId'>): void {
    const seen = this.drivers.get(event.driverId);
    if (event.endedSessionId) this.ended.set(event.driverId, event.endedSessionId);
    if (event.state === 'offline') {
      if (!seen || seen.stateAt <= event.at) this.drivers.delete(event.driverId);
      return;
    }
    if (seen && seen.stateAt <= event.at) {
      seen.live.state = event.state;
      seen.stateAt = event.at;
    }
  }

  /** The driver's last known position, if online. */
  positionOf(driverId: string): LiveDriver | null {
    return this.drivers.get(driverId)?.live ?? null;
  }

  /** False once the driver went offline (or was replaced): its pending update must not go out. */
  isCurrent(entry: FleetEntry): boolean {
    return this.drivers.get(entry.live.driverId) === entry;
  }

  /** Drivers currently in any of the given viewport cells. */
  inCells(cells: ReadonlySet<string>, limit: number): LiveDriver[] {
    const out: LiveDriver[] = [];
    for (const e of this.drivers.values()) {
      if (cells.has(e.viewCell)) {
        out.push(e.live);
        if (out.length >= limit) break;
      }
    }
    return out;
  }

  density(nowMs: number, staleAfterMs: number): DensityCell[] {
    const cells = new Map<string, DensityCell>();
    for (const e of this.drivers.values()) {
      let c = cells.get(e.densityCell);
      if (!c) {
        c = { cell: e.densityCell, available: 0, busy: 0, stale: 0 };
        cells.set(e.densityCell, c);
      }
      if (nowMs - e.live.lastSeenAt > staleAfterMs) c.stale++;
      else if (e.live.state === 'available') c.available++;
      else c.busy++;
    }
    return [...cells.values()];
  }
}
