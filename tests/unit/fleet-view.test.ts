import { latLngToCell } from 'h3-js';
import { describe, expect, it } from 'vitest';
import type { LocationRecord } from '@/domain/driver-events';
import { viewportResolution } from '@/domain/realtime-contract';
import { FleetView } from '@/server/realtime/fleet-view';

const s1 = '6f1c2a7e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const s2 = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const t0 = 1_800_000_000_000;
const rec = (over: Partial<LocationRecord> = {}): LocationRecord => ({
  driverId: 'd1',
  sessionId: s1,
  seq: 1,
  at: t0,
  lat: 12.9716,
  lng: 77.5946,
  receivedAt: t0,
  state: 'available',
  vehicleTypeId: 'economy',
  ...over,
});

describe('fleet view', () => {
  it('remembers the viewport cell a driver left until the fan-out clears it', () => {
    const fleet = new FleetView();
    const first = fleet.applyLocation(rec())!;
    const home = latLngToCell(12.9716, 77.5946, viewportResolution);
    expect(first.viewCell).toBe(home);
    expect(first.leftCell).toBeNull();
    const moved = fleet.applyLocation(rec({ seq: 2, lat: 13.2, receivedAt: t0 + 1 }))!;
    expect(moved).toBe(first);
    expect(moved.viewCell).toBe(latLngToCell(13.2, 77.5946, viewportResolution));
    expect(moved.leftCell).toBe(home);
    expect(moved.live).toMatchObject({ lat: 13.2, seq: 2, at: t0 });
    expect(fleet.applyLocation(rec({ seq: 1, receivedAt: t0 - 1 }))).toBeNull();
  });

  it('never brings back a driver from a late position of the session that ended', () => {
    const fleet = new FleetView();
    fleet.applyLocation(rec());
    const entry = fleet.applyLocation(rec({ seq: 2, receivedAt: t0 + 5 }))!;
    fleet.applyState({ driverId: 'd1', state: 'offline', at: t0 + 10, endedSessionId: s1 });
    expect(fleet.size).toBe(0);
    expect(fleet.isCurrent(entry)).toBe(false);
    // Sent just before going offline, processed after the offline event: ignored.
    expect(fleet.applyLocation(rec({ seq: 3, receivedAt: t0 + 20 }))).toBeNull();
    expect(fleet.size).toBe(0);
    // A new duty session is welcome, even before its "online" event is read.
    expect(fleet.applyLocation(rec({ sessionId: s2, seq: 1, receivedAt: t0 + 30 }))).not.toBeNull();
    expect(fleet.size).toBe(1);
  });

  it('keeps a newer state over the state stamped on an older position', () => {
    const fleet = new FleetView();
    fleet.applyLocation(rec());
    fleet.applyState({ driverId: 'd1', state: 'on_trip', at: t0 + 50 });
    const update = fleet.applyLocation(rec({ seq: 2, receivedAt: t0 + 40, state: 'available' }))!;
    expect(update.live.state).toBe('on_trip');
  });

  it('answers snapshots by viewport cell and counts density by state and freshness', () => {
    const fleet = new FleetView();
    fleet.applyLocation(rec());
    fleet.applyLocation(rec({ driverId: 'd2', state: 'on_trip' }));
    fleet.applyLocation(rec({ driverId: 'd3', receivedAt: t0 - 60_000 }));
    fleet.applyLocation(rec({ driverId: 'far', lat: 28.6, lng: 77.2 }));
    const here = new Set([latLngToCell(12.9716, 77.5946, viewportResolution)]);
    expect(
      fleet
        .inCells(here, 100)
        .map((d) => d.driverId)
        .sort(),
    ).toEqual(['d1', 'd2', 'd3']);
    const density = fleet.density(t0, 30_000);
    const centre = density.find((c) => c.cell === latLngToCell(12.9716, 77.5946, 7))!;
    expect(centre).toMatchObject({ available: 1, busy: 1, stale: 1 });
    expect(density.reduce((n, c) => n + c.available + c.busy + c.stale, 0)).toBe(4);
  });
});
