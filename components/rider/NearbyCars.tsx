'use client';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { demoCity } from '@/domain/city';
import type { LatLng } from '@/domain/geo';
import { useTRPC } from '../trpc';

function minutes(seconds: number | null): string {
  if (seconds === null) return 'none near';
  return seconds < 60 ? 'under a minute away' : `${Math.round(seconds / 60)} min away`;
}

/** "Cars near you": per vehicle type, how many are near and how soon one could come. */
export function NearbyCars() {
  const trpc = useTRPC();
  const [where, setWhere] = useState<{ at: LatLng; source: 'device' | 'city' }>({
    at: demoCity.center,
    source: 'city',
  });
  useEffect(() => {
    navigator.geolocation?.getCurrentPosition(
      (p) => setWhere({ at: { lat: p.coords.latitude, lng: p.coords.longitude }, source: 'device' }),
      () => undefined,
      { maximumAge: 60_000, timeout: 10_000 },
    );
  }, []);
  const nearby = useQuery({ ...trpc.rider.nearbyCars.queryOptions(where.at), refetchInterval: 10_000 });
  return (
    <section className="card" data-testid="nearby-cars">
      <h2>Cars near you</h2>
      <p className="muted">
        {where.source === 'device' ? 'Around your location' : `Around ${demoCity.name} centre`} · updated
        every 10 s
      </p>
      {nearby.error ? <p className="error">{nearby.error.message}</p> : null}
      <table className="data">
        <tbody>
          {nearby.data?.map((t) => (
            <tr key={t.vehicleTypeId} data-testid={`nearby-${t.vehicleTypeId}`}>
              <td>{t.name}</td>
              <td>{t.available === 0 ? '—' : `${t.available}${t.available >= 5 ? '+' : ''} available`}</td>
              <td>{minutes(t.etaS)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
