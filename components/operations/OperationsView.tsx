'use client';
import { useQuery } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { defaultPresencePolicy } from '@/domain/driver-availability';
import type { LatLng } from '@/domain/geo';
import { maxWatchedCells, viewportResolution } from '@/domain/realtime-contract';
import type { MapPoint } from '../map/LiveMap';
import { type Bounds, viewportCells } from '../map/viewport-cells';
import { useRealtimeSocket } from '../realtime/use-realtime-socket';
import { useTRPC } from '../trpc';
import { BookingAudit } from './BookingAudit';
import { BookingsBoard } from './BookingsBoard';
import { DriverTrackButton } from './DriverTrackButton';
import type { DriverView } from './live-drivers-store';
import { NearestPanel } from './NearestPanel';
import { SurgeLayer } from './SurgeLayer';
import { useBookingsBoard } from './use-bookings-board';
import { useOperationsFeed } from './use-operations-feed';
import './operations.css';

const LiveMap = dynamic(() => import('../map/LiveMap').then((m) => m.LiveMap), {
  ssr: false,
  loading: () => <p style={{ padding: 16 }}>Loading map…</p>,
});

const renderEveryMs = 250;
const staleAfterMs = defaultPresencePolicy.staleAfterMs;
const listLimit = 200;
/** The surge job recomputes every 10 s (workers/scheduled-jobs.ts); reading more often shows nothing new. */
const surgeRefreshMs = 10_000;

function ageLabel(ms: number): string {
  if (ms < 1_000) return 'now';
  if (ms < 60_000) return `${Math.round(ms / 1_000)} s ago`;
  return `${Math.round(ms / 60_000)} min ago`;
}

/** The dispatcher's live map: the viewport's drivers, density, nearest search; re-rendered 4× a second. */
export function OperationsView() {
  const trpc = useTRPC();
  const { socket, status } = useRealtimeSocket();
  const [cells, setCells] = useState<string[] | null | undefined>(undefined);
  const { store, dirty, density } = useOperationsFeed(socket, cells);
  const [version, setVersion] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const [selected, setSelected] = useState<string | null>(null);
  const [probe, setProbe] = useState<LatLng | null>(null);
  const [showDensity, setShowDensity] = useState(false);
  const [filter, setFilter] = useState('');
  const [showSurge, setShowSurge] = useState(false);
  const [selectedBooking, setSelectedBooking] = useState<string | null>(null);
  const [track, setTrack] = useState<{ driverId: string; points: LatLng[] } | null>(null);
  const vehicleTypes = useQuery(trpc.catalog.vehicleTypes.queryOptions());
  const board = useBookingsBoard(socket);
  const surge = useQuery({
    ...trpc.operations.surge.queryOptions(),
    enabled: showSurge,
    refetchInterval: surgeRefreshMs,
  });

  useEffect(() => {
    const id = setInterval(() => {
      setNow(Date.now());
      if (dirty.current) {
        dirty.current = false;
        setVersion((v) => v + 1);
      }
    }, renderEveryMs);
    return () => clearInterval(id);
  }, [dirty]);

  const onViewport = useCallback((bounds: Bounds) => {
    const next = viewportCells(bounds, viewportResolution, maxWatchedCells);
    setCells((current) => (sameCells(current, next) ? current : next));
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
      <div className="ops-main">
        <div className="ops-map">
          <LiveMap
            points={points}
            density={density}
            showDensity={showDensity || cells === null}
            surge={surge.data ?? noSurgeCells}
            showSurge={showSurge}
            probe={probe}
            track={track && track.driverId === selected ? track.points : null}
            onSelect={setSelected}
            onProbe={setProbe}
            onViewport={onViewport}
          />
          {cells === null ? (
            <p className="map-note" data-testid="overview-note">
              Zoomed out: showing density only. Zoom in to see drivers.
            </p>
          ) : null}
        </div>
        <BookingsBoard
          active={board.data?.active ?? noBookings}
          recent={board.data?.recent ?? noBookings}
          now={Math.floor(now / 1_000) * 1_000}
          selected={selectedBooking}
          error={board.error?.message ?? null}
          onSelect={setSelectedBooking}
        />
      </div>
      <aside className="ops-side">
        <section className="card">
          <div style={{ display: 'flex', justifyContent: 'space-between' }}>
            <strong>Fleet in view</strong>
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
              <strong className={counts.stale > 0 ? 'stale' : ''} data-testid="count-stale">
                {counts.stale}
              </strong>
              stale
            </div>
          </div>
          <label className="toggle">
            <input type="checkbox" checked={showDensity} onChange={(e) => setShowDensity(e.target.checked)} />{' '}
            Density heatmap
          </label>
          <SurgeLayer
            cells={surge.data ?? noSurgeCells}
            shown={showSurge}
            error={surge.error?.message ?? null}
            onToggle={setShowSurge}
          />
          <p className="muted">Click the map to find the nearest available drivers.</p>
        </section>
        {selectedBooking ? (
          <BookingAudit
            key={selectedBooking}
            bookingId={selectedBooking}
            onClose={() => setSelectedBooking(null)}
          />
        ) : null}
        {probe ? (
          <NearestPanel
            at={probe}
            vehicleTypeIds={vehicleTypes.data?.map((t) => t.id) ?? []}
            onSelect={setSelected}
            onClose={() => setProbe(null)}
          />
        ) : null}
        {chosen ? (
          <DriverDetails
            driver={chosen}
            now={now}
            stale={store.isStale(chosen, now, staleAfterMs)}
            offsetMs={store.clockOffsetMs}
          >
            <DriverTrackButton
              key={chosen.driverId}
              driverId={chosen.driverId}
              onTrack={(points) => setTrack(points ? { driverId: chosen.driverId, points } : null)}
            />
          </DriverDetails>
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

const noSurgeCells: never[] = [];
const noBookings: never[] = [];

function sameCells(a: string[] | null | undefined, b: string[] | null): boolean {
  if (a === undefined) return false;
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((c) => set.has(c));
}

function DriverDetails({
  driver,
  now,
  stale,
  offsetMs,
  children,
}: {
  driver: DriverView;
  now: number;
  stale: boolean;
  offsetMs: number;
  children?: React.ReactNode;
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
      {children}
    </section>
  );
}
