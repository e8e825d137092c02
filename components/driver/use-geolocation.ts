'use client';
import { useCallback, useEffect, useRef, useState } from 'react';

export type GpsStatus = 'off' | 'waiting' | 'ok' | 'denied' | 'unavailable';

export interface Fix {
  lat: number;
  lng: number;
  accuracyM: number;
  speedMps?: number;
  headingDeg?: number;
  at: number;
}

/** Watches the device position while `active`; keeps the GPS warm and reports its state. */
export function useGeolocation(active: boolean): {
  status: GpsStatus;
  fix: Fix | null;
  latest: () => Fix | null;
} {
  const [status, setStatus] = useState<GpsStatus>('off');
  const [fix, setFix] = useState<Fix | null>(null);
  const latestRef = useRef<Fix | null>(null);

  useEffect(() => {
    if (!active) {
      setStatus('off');
      return;
    }
    if (typeof navigator === 'undefined' || !navigator.geolocation) {
      setStatus('unavailable');
      return;
    }
    setStatus('waiting');
    const id = navigator.geolocation.watchPosition(
      (p) => {
        const next: Fix = {
          lat: p.coords.latitude,
          lng: p.coords.longitude,
          accuracyM: p.coords.accuracy,
          at: Math.round(p.timestamp),
          ...(p.coords.speed !== null && p.coords.speed >= 0 ? { speedMps: p.coords.speed } : {}),
          ...(p.coords.heading !== null && p.coords.heading >= 0 ? { headingDeg: p.coords.heading } : {}),
        };
        latestRef.current = next;
        setFix(next);
        setStatus('ok');
      },
      (error) => setStatus(error.code === error.PERMISSION_DENIED ? 'denied' : 'unavailable'),
      { enableHighAccuracy: true, maximumAge: 0, timeout: 20_000 },
    );
    return () => navigator.geolocation.clearWatch(id);
  }, [active]);

  // Stable identity: callers read the newest fix from timers without re-subscribing.
  const latest = useCallback(() => latestRef.current, []);
  return { status, fix, latest };
}
