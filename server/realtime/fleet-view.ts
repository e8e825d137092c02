import { latLngToCell } from 'h3-js';
import type { AvailabilityState } from '@/domain/driver-availability';
import type { DriverStateEvent, LocationRecord } from '@/domain/driver-events';
import type { LiveDriver } from '@/domain/realtime-contract';

/** Viewport rooms use H3 res 6 (~36 km²): a city is tens of cells, a screen a handful. */
export const viewportResolution = 6;
/** The density heatmap uses res 7 (~5 km²). */
export const densityResolution = 7;

interface Entry extends LiveDriver {
  viewCell: string;
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
 * watched area is shown leaving. Pure apart from h3.
 */
export class FleetView {
  private readonly drivers = new Map<string, Entry>();
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
      if (!seen || seen.lastSeenAt < d.lastSeenAt) {
        this.drivers.set(d.driverId, { ...d, viewCell: cellOf(d), stateAt: seen?.stateAt ?? 0 });
      }
    }
  }

  /**
   * Applies one position; returns the viewport cells that must hear about it (its cell, and the
   * cell it left), or null when the record is older than what is known.
   */
  applyLocation(r: LocationRecord): { driver: LiveDriver; cells: string[] } | null {
    if (this.ended.get(r.driverId) === r.sessionId) return null;
    const seen = this.drivers.get(r.driverId);
    if (seen && seen.lastSeenAt > r.receivedAt) return null;
    const viewCell = latLngToCell(r.lat, r.lng, viewportResolution);
    const state: AvailabilityState = seen && seen.stateAt > r.receivedAt ? seen.state : r.state;
    const entry: Entry = {
      driverId: r.driverId,
      lat: r.lat,
      lng: r.lng,
      state,
      vehicleTypeId: r.vehicleTypeId,
      lastSeenAt: r.receivedAt,
      ...(r.headingDeg !== undefined ? { headingDeg: r.headingDeg } : {}),
      seq: r.seq,
      at: r.at,
      viewCell,
      stateAt: seen?.stateAt ?? 0,
    };
    this.drivers.set(r.driverId, entry);
    const cells = seen && seen.viewCell !== viewCell ? [viewCell, seen.viewCell] : [viewCell];
    return { driver: toLive(entry), cells };
  }

  applyState(event: Pick<DriverStateEvent, 'driverId' | 'state' | 'at' | 'endedSessionId'>): void {
    const seen = this.drivers.get(event.driverId);
    if (event.endedSessionId) this.ended.set(event.driverId, event.endedSessionId);
    if (event.state === 'offline') {
      if (!seen || seen.stateAt <= event.at) this.drivers.delete(event.driverId);
      return;
    }
    if (seen && seen.stateAt <= event.at) {
      seen.state = event.state;
      seen.stateAt = event.at;
    }
  }

  /** Drivers currently in any of the given viewport cells. */
  inCells(cells: ReadonlySet<string>, limit: number): LiveDriver[] {
    const out: LiveDriver[] = [];
    for (const d of this.drivers.values()) {
      if (cells.has(d.viewCell)) {
        out.push(toLive(d));
        if (out.length >= limit) break;
      }
    }
    return out;
  }

  density(nowMs: number, staleAfterMs: number): DensityCell[] {
    const cells = new Map<string, DensityCell>();
    for (const d of this.drivers.values()) {
      const cell = latLngToCell(d.lat, d.lng, densityResolution);
      let c = cells.get(cell);
      if (!c) {
        c = { cell, available: 0, busy: 0, stale: 0 };
        cells.set(cell, c);
      }
      if (nowMs - d.lastSeenAt > staleAfterMs) c.stale++;
      else if (d.state === 'available') c.available++;
      else c.busy++;
    }
    return [...cells.values()];
  }
}

function cellOf(d: { lat: number; lng: number }): string {
  return latLngToCell(d.lat, d.lng, viewportResolution);
}

function toLive(e: Entry): LiveDriver {
  const { viewCell: _cell, stateAt: _at, ...live } = e;
  return live;
}
