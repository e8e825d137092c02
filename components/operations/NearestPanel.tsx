'use client';
import { useQuery } from '@tanstack/react-query';
import type { LatLng } from '@/domain/geo';
import { useTRPC } from '../trpc';
import { LinkButton } from '../ui/LinkButton';

function minutes(seconds: number): string {
  return seconds < 60 ? '<1 min' : `${Math.round(seconds / 60)} min`;
}

/** The nearest available drivers to a point the dispatcher clicked, with pickup ETAs. */
export function NearestPanel({
  at,
  vehicleTypeIds,
  onSelect,
  onClose,
}: {
  at: LatLng;
  vehicleTypeIds: string[];
  onSelect: (driverId: string) => void;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const nearest = useQuery({
    ...trpc.operations.nearestDrivers.queryOptions({ lat: at.lat, lng: at.lng, vehicleTypeIds, k: 8 }),
    enabled: vehicleTypeIds.length > 0,
    refetchInterval: 5_000,
  });
  return (
    <section className="card" data-testid="nearest-panel">
      <div style={{ display: 'flex', justifyContent: 'space-between' }}>
        <strong>Nearest available</strong>
        <LinkButton onClick={onClose}>Close</LinkButton>
      </div>
      <p className="muted">
        {at.lat.toFixed(5)}, {at.lng.toFixed(5)}
      </p>
      {nearest.isLoading ? <p>Searching…</p> : null}
      {nearest.error ? <p className="error">{nearest.error.message}</p> : null}
      {nearest.data?.length === 0 ? <p>No available driver within 5 km.</p> : null}
      <ol className="nearest-list">
        {nearest.data?.map((d) => (
          <li key={d.driverId}>
            <button type="button" onClick={() => onSelect(d.driverId)}>
              <span>
                {d.name ?? 'Driver'} · {d.vehicleTypeId}
              </span>
              <span>
                {Math.round(d.distanceM)} m · {minutes(d.etaS)}
              </span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
