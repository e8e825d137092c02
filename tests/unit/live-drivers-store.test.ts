import { describe, expect, it } from 'vitest';
import { LiveDriversStore, type SnapshotRow } from '@/components/operations/live-drivers-store';
import type { AvailabilityState } from '@/domain/driver-availability';
import type { LiveDriver } from '@/domain/realtime-contract';

const t0 = 1_800_000_000_000;

const live = (
  driverId: string,
  lastSeenAt: number,
  lat = 12.97,
  state: AvailabilityState = 'available',
): LiveDriver => ({
  driverId,
  lat,
  lng: 77.59,
  state,
  vehicleTypeId: 'car',
  lastSeenAt,
});

const row = (
  driverId: string,
  lastSeenAt: number,
  name = `Driver ${driverId}`,
  lat = 12.97,
  state: AvailabilityState = 'available',
): SnapshotRow => ({ ...live(driverId, lastSeenAt, lat, state), name, plate: `KA-${driverId}` });

describe('live drivers store', () => {
  it('loads a snapshot and then moves drivers with frames', () => {
    const store = new LiveDriversStore();
    store.applySnapshot([row('a', t0), row('b', t0)], t0 + 100, t0 + 100);
    expect([...store.drivers.keys()].sort()).toEqual(['a', 'b']);
    expect(store.drivers.get('a')).toMatchObject({ name: 'Driver a', plate: 'KA-a', lat: 12.97, stateAt: 0 });

    const unknown = store.applyFrame(
      [{ ...live('a', t0 + 1_000, 12.98), headingDeg: 90 }],
      t0 + 1_100,
      t0 + 1_100,
    );
    expect(unknown).toEqual([]);
    expect(store.drivers.get('a')).toMatchObject({
      name: 'Driver a',
      plate: 'KA-a',
      lat: 12.98,
      lastSeenAt: t0 + 1_000,
      headingDeg: 90,
    });
    expect(store.drivers.get('b')?.lat).toBe(12.97);
  });

  it('keeps the newer frame position when a snapshot arrives late, and takes names from the snapshot', () => {
    const store = new LiveDriversStore();
    const unknown = store.applyFrame([live('a', t0 + 5_000, 12.99), live('b', t0 + 1_000, 12.95)], t0, t0);
    expect(unknown).toEqual(['a', 'b']);
    expect(store.drivers.get('a')?.name).toBeNull();

    // The snapshot was taken before 'a' moved but after 'b' did.
    store.applySnapshot(
      [row('a', t0 + 2_000, 'Asha', 12.9), row('b', t0 + 3_000, 'Bala', 12.91)],
      t0 + 4_000,
      t0,
    );
    expect(store.drivers.get('a')).toMatchObject({
      name: 'Asha',
      plate: 'KA-a',
      lat: 12.99,
      lastSeenAt: t0 + 5_000,
    });
    expect(store.drivers.get('b')).toMatchObject({ name: 'Bala', lat: 12.91, lastSeenAt: t0 + 3_000 });
  });

  it('never lets an older frame overwrite a newer position', () => {
    const store = new LiveDriversStore();
    store.applySnapshot([row('a', t0 + 2_000, 'Asha', 12.97)], t0 + 2_000, t0 + 2_000);
    store.applyFrame([{ ...live('a', t0 + 1_000, 12.5, 'paused'), headingDeg: 45 }], t0 + 3_000, t0 + 3_000);
    const a = store.drivers.get('a');
    expect(a).toMatchObject({ lat: 12.97, lastSeenAt: t0 + 2_000, state: 'available' });
    expect(a?.headingDeg).toBeUndefined();
  });

  it('keeps the last heading when a frame carries none', () => {
    const store = new LiveDriversStore();
    store.applyFrame([{ ...live('a', t0), headingDeg: 180 }], t0, t0);
    store.applyFrame([live('a', t0 + 1_000, 12.98)], t0 + 1_000, t0 + 1_000);
    expect(store.drivers.get('a')).toMatchObject({ headingDeg: 180, lat: 12.98 });
  });

  it('does not let a position frame older than a state change undo that state', () => {
    const store = new LiveDriversStore();
    store.applySnapshot([row('a', t0)], t0, t0);
    store.applyStateChange({ driverId: 'a', state: 'on_trip', at: t0 + 2_000 });
    expect(store.drivers.get('a')).toMatchObject({ state: 'on_trip', stateAt: t0 + 2_000 });

    // Newer position than the store has, but measured before the state change.
    store.applyFrame([live('a', t0 + 1_500, 12.98, 'available')], t0 + 2_100, t0 + 2_100);
    expect(store.drivers.get('a')).toMatchObject({ state: 'on_trip', lat: 12.98, lastSeenAt: t0 + 1_500 });

    // A frame after the state change does carry its state.
    store.applyFrame([live('a', t0 + 3_000, 12.99, 'available')], t0 + 3_100, t0 + 3_100);
    expect(store.drivers.get('a')?.state).toBe('available');
  });

  it('does not let a snapshot row read before a state change undo that state', () => {
    const store = new LiveDriversStore();
    store.applyFrame([live('a', t0)], t0, t0);
    store.applyStateChange({ driverId: 'a', state: 'on_trip', at: t0 + 2_000 });
    store.applySnapshot([row('a', t0 + 1_000, 'A', 12.98, 'available')], t0 + 1_500, t0 + 1_500);
    const a = store.drivers.get('a')!;
    expect(a.state).toBe('on_trip');
    expect(a.lat).toBe(12.98);
    expect(a.name).toBe('A');
  });

  it('ignores a state change older than the one it already applied', () => {
    const store = new LiveDriversStore();
    store.applySnapshot([row('a', t0)], t0, t0);
    store.applyStateChange({ driverId: 'a', state: 'en_route', at: t0 + 2_000 });
    store.applyStateChange({ driverId: 'a', state: 'offered', at: t0 + 1_000 });
    expect(store.drivers.get('a')).toMatchObject({ state: 'en_route', stateAt: t0 + 2_000 });
  });

  it('removes a driver on an offline state change, but not on a stale one', () => {
    const store = new LiveDriversStore();
    store.applySnapshot([row('a', t0), row('b', t0)], t0, t0);
    store.applyStateChange({ driverId: 'b', state: 'paused', at: t0 + 5_000 });
    store.applyStateChange({ driverId: 'b', state: 'offline', at: t0 + 4_000 });
    expect(store.drivers.has('b')).toBe(true);
    store.applyStateChange({ driverId: 'a', state: 'offline', at: t0 + 1_000 });
    expect(store.drivers.has('a')).toBe(false);
    expect(store.counts(t0, 60_000).total).toBe(1);
  });

  it('ignores a state change for a driver it does not know', () => {
    const store = new LiveDriversStore();
    store.applyStateChange({ driverId: 'ghost', state: 'available', at: t0 });
    expect(store.drivers.size).toBe(0);
  });

  it('removes drivers missing from a snapshot unless heard of after it was taken', () => {
    const store = new LiveDriversStore();
    store.applyFrame(
      [live('gone', t0 + 1_000), live('same-time', t0 + 2_000), live('newer', t0 + 3_000)],
      t0,
      t0,
    );
    store.applySnapshot([row('kept', t0)], t0 + 2_000, t0 + 2_000);
    expect([...store.drivers.keys()].sort()).toEqual(['kept', 'newer']);
  });

  it('returns the ids it had no name for, once each', () => {
    const store = new LiveDriversStore();
    store.applySnapshot([row('a', t0)], t0, t0);
    expect(store.applyFrame([live('a', t0 + 1), live('x', t0 + 1), live('y', t0 + 1)], t0, t0)).toEqual([
      'x',
      'y',
    ]);
    expect(store.drivers.get('x')).toMatchObject({ name: null, plate: null, stateAt: 0 });
    expect(store.applyFrame([live('x', t0 + 2)], t0, t0)).toEqual([]);
  });

  it('bumps the version on every change', () => {
    const store = new LiveDriversStore();
    const versions = [store.version];
    store.applySnapshot([row('a', t0)], t0, t0);
    versions.push(store.version);
    store.applyFrame([live('a', t0 + 1)], t0, t0);
    versions.push(store.version);
    store.applyStateChange({ driverId: 'a', state: 'paused', at: t0 + 2 });
    versions.push(store.version);
    expect(new Set(versions).size).toBe(4);
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
  });

  it('judges staleness on server time, using the clock offset', () => {
    const store = new LiveDriversStore();
    // The local clock runs 10 s behind the server.
    const localNow = t0 - 10_000;
    store.applySnapshot([row('a', t0 - 25_000)], t0, localNow);
    expect(store.clockOffsetMs).toBe(10_000);
    const a = store.drivers.get('a')!;
    // Server age 25 s: fresh at a 30 s limit although the local clock would say 15 s.
    expect(store.isStale(a, localNow, 30_000)).toBe(false);
    expect(store.isStale(a, localNow, 20_000)).toBe(true);
    expect(store.isStale(a, localNow + 5_000, 30_000)).toBe(false);
    expect(store.isStale(a, localNow + 5_001, 30_000)).toBe(true);
  });

  it('takes the clock offset from the latest frame too', () => {
    const store = new LiveDriversStore();
    store.applySnapshot([row('a', t0)], t0, t0);
    // Server time t0 + 1 s while the local clock reads t0 − 4 s: the driver is 1 s old.
    store.applyFrame([], t0 + 1_000, t0 - 4_000);
    expect(store.clockOffsetMs).toBe(5_000);
    expect(store.isStale(store.drivers.get('a')!, t0 - 4_000, 999)).toBe(true);
    expect(store.isStale(store.drivers.get('a')!, t0 - 4_000, 1_000)).toBe(false);
  });

  it('counts drivers by state, stale ones and the total', () => {
    const store = new LiveDriversStore();
    store.applySnapshot(
      [
        row('a', t0, 'A', 12.97, 'available'),
        row('b', t0 - 60_000, 'B', 12.97, 'available'),
        row('c', t0, 'C', 12.97, 'on_trip'),
        row('d', t0 - 60_000, 'D', 12.97, 'paused'),
      ],
      t0,
      t0,
    );
    expect(store.counts(t0, 30_000)).toEqual({
      offline: 0,
      available: 2,
      paused: 1,
      offered: 0,
      en_route: 0,
      on_trip: 1,
      stale: 2,
      total: 4,
    });
    expect(store.counts(t0, 120_000).stale).toBe(0);
  });
});
