'use client';
import dynamic from 'next/dynamic';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { defaultPresencePolicy } from '@/domain/driver-availability';
import type { MapPoint } from '../map/LiveMap';
import { useRealtimeSocket } from '../realtime/use-realtime-socket';
import { useTRPCClient } from '../trpc';
import { type DriverView, LiveDriversStore } from './live-drivers-store';

const LiveMap = dynamic(() => import('../map/LiveMap').then((m) => m.LiveMap), {
  ssr: false,
  loading: () => <p style={{ padding: 16 }}>Loading map…</p>,
});

const renderEveryMs = 250;
const staleAfterMs = defaultPresencePolicy.staleAfterMs;
const listLimit = 200;

function ageLabel(ms: number): string {
  if (ms < 1_000) return 'now';
  if (ms < 60_000) return `${Math.round(ms / 1_000)} s ago`;
  return `${Math.round(ms / 60_000)} min ago`;
}

/** The dispatcher's live map: snapshot plus streams, re-rendered at most four times a second. */
export function OperationsView() {
  const client = useTRPCClient();
  const { socket, status } = useRealtimeSocket();
  const store = useRef(new LiveDriversStore()).current;
  const dirty = useRef(true);
  const [version, setVersion] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const [selected, setSelected] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const snapshotTimer = useRef<NodeJS.Timeout | null>(null);

  const loadSnapshot = useCallback(async () => {
    const snap = await client.operations.liveDrivers.query();
    store.applySnapshot(snap.drivers, snap.serverTime, Date.now());
    dirty.current = true;
  }, [client, store]);

  const refreshSoon = useCallback(() => {
    snapshotTimer.current ??= setTimeout(() => {
      snapshotTimer.current = null;
      void loadSnapshot();
    }, 2_000);
  }, [loadSnapshot]);

  useEffect(() => {
    if (!socket) return;
    const onMoved = (frame: { drivers: Parameters<LiveDriversStore['applyFrame']>[0]; sentAt: number }) => {
      if (store.applyFrame(frame.drivers, frame.sentAt, Date.now()).length > 0) refreshSoon();
      dirty.current = true;
    };
    const onState = (change: Parameters<LiveDriversStore['applyStateChange']>[0]) => {
      store.applyStateChange(change);
      dirty.current = true;
    };
    // Subscribe first, then fetch the snapshot: nothing falls between the two.
    const onConnect = () => {
      socket.emit('dispatch:watch', {}, (answer) => {
        if (answer.ok) void loadSnapshot();
      });
    };
    socket.on('drivers:moved', onMoved);
    socket.on('driver:state', onState);
    socket.on('connect', onConnect);
    if (socket.connected) onConnect();
    return () => {
      socket.off('drivers:moved', onMoved);
      socket.off('driver:state', onState);
      socket.off('connect', onConnect);
    };
  }, [socket, store, loadSnapshot, refreshSoon]);

  useEffect(() => {
    const id = setInterval(() => {
      setNow(Date.now());
      if (dirty.current) {
        dirty.current = false;
        setVersion((v) => v + 1);
      }
    }, renderEveryMs);
    return () => clearInterval(id);
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the store's change signal
  const drivers = useMemo(() => [...store.drivers.values()], [store, version]);
  const points: MapPoint[] = useMemo(
    () =>
      drivers.map((d) => ({
        id: d.driverId,
        lat: d.lat,
        lng: d.lng,
        state: d.state,
        stale: store.isStale(d, now, staleAfterMs),
        selected: d.driverId === selected,
      })),
    [drivers, now, selected, store],
  );
  const counts = store.counts(now, staleAfterMs);
  const needle = filter.trim().toLowerCase();
  const listed = drivers
    .filter((d) => !needle || `${d.name ?? ''} ${d.plate ?? ''}`.toLowerCase().includes(needle))
    .sort((a, b) => (a.name ?? '~').localeCompare(b.name ?? '~'))
    .slice(0, listLimit);
  const chosen = selected ? store.drivers.get(selected) : undefined;

  return (
    <div className="ops-layout">
      <div className="ops-map">
        <LiveMap points={points} onSelect={setSelected} />
      </div>
      <aside className="ops-side">
        <section className="card">
          <div style={{ display: 'flex', justifyContent: 'space-between' }}>
            <strong>Fleet</strong>
            <span data-testid="ops-connection">{status}</span>
          </div>
          <div className="counts" data-testid="ops-counts">
            <div className="count">
              <strong data-testid="count-total">{counts.total}</strong>online
            </div>
            <div className="count">
              <strong data-testid="count-available">{counts.available}</strong>available
            </div>
            <div className="count">
              <strong>{counts.offered}</strong>offered
            </div>
            <div className="count">
              <strong>{counts.en_route + counts.on_trip}</strong>on a job
            </div>
            <div className="count">
              <strong>{counts.paused}</strong>paused
            </div>
            <div className="count">
              <strong className={counts.stale > 0 ? 'stale' : ''}>{counts.stale}</strong>stale
            </div>
          </div>
        </section>
        {chosen ? (
          <DriverDetails
            driver={chosen}
            now={now}
            stale={store.isStale(chosen, now, staleAfterMs)}
            offsetMs={store.clockOffsetMs}
          />
        ) : null}
        <section
          className="card"
          style={{ display: 'flex', flexDirection: 'column', overflow: 'hidden', flex: 1 }}
        >
          <input
            placeholder="Find a driver or plate"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            aria-label="Find a driver"
          />
          <ul className="driver-list" data-testid="driver-list" aria-label="Online drivers">
            {listed.map((d) => (
              <li
                key={d.driverId}
                data-testid={`driver-row-${d.driverId}`}
                data-lat={d.lat.toFixed(6)}
                data-lng={d.lng.toFixed(6)}
                data-state={d.state}
              >
                <button
                  type="button"
                  aria-pressed={d.driverId === selected}
                  onClick={() => setSelected(d.driverId)}
                >
                  <span>{d.name ?? `Driver ${d.driverId.slice(0, 6)}`}</span>
                  <span>
                    {store.isStale(d, now, staleAfterMs) ? <span className="stale">stale · </span> : null}
                    <span className="badge" data-state={d.state}>
                      {d.state.replace('_', ' ')}
                    </span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      </aside>
    </div>
  );
}

function DriverDetails({
  driver,
  now,
  stale,
  offsetMs,
}: {
  driver: DriverView;
  now: number;
  stale: boolean;
  offsetMs: number;
}) {
  return (
    <section className="card" data-testid="driver-details">
      <strong>{driver.name ?? 'Driver'}</strong>
      <dl className="status-grid">
        <dt>State</dt>
        <dd>
          <span className="badge" data-state={driver.state}>
            {driver.state.replace('_', ' ')}
          </span>
          {stale ? <span className="stale"> · stale</span> : null}
        </dd>
        <dt>Vehicle</dt>
        <dd>
          {driver.vehicleTypeId} · {driver.plate ?? 'no plate'}
        </dd>
        <dt>Last ping</dt>
        <dd>{ageLabel(now + offsetMs - driver.lastSeenAt)}</dd>
        <dt>Position</dt>
        <dd>
          {driver.lat.toFixed(5)}, {driver.lng.toFixed(5)}
        </dd>
      </dl>
    </section>
  );
}
