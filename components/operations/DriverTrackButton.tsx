'use client';
import { useMutation } from '@tanstack/react-query';
import type { LatLng } from '@/domain/geo';
import { useTRPC } from '../trpc';

const lastHourMs = 3_600_000;

/**
 * Where the selected driver was in the last hour, drawn on the map. A driver's movements are
 * personal and every look is written to the audit log, so the track is asked for with a click
 * (a mutation), never loaded or refreshed by itself.
 */
export function DriverTrackButton({
  driverId,
  onTrack,
}: {
  driverId: string;
  onTrack: (track: LatLng[] | null) => void;
}) {
  const trpc = useTRPC();
  const track = useMutation(
    trpc.operations.driverTrack.mutationOptions({
      onSuccess: (data) => onTrack(data.points.map((p) => ({ lat: p.lat, lng: p.lng }))),
    }),
  );
  const shown = track.data;
  return (
    <div className="driver-track">
      {shown ? (
        <p data-testid="driver-track-summary">
          {shown.points.length} positions in the last hour{shown.truncated ? ' (the first ones only)' : ''}
          {' · '}
          <button
            type="button"
            onClick={() => {
              track.reset();
              onTrack(null);
            }}
          >
            Hide track
          </button>
        </p>
      ) : (
        <button
          type="button"
          disabled={track.isPending}
          onClick={() => {
            const to = Date.now();
            track.mutate({ driverId, from: to - lastHourMs, to });
          }}
        >
          {track.isPending ? 'Loading track…' : 'Show the last hour’s track'}
        </button>
      )}
      <p className="muted">Viewing a driver’s track is recorded in the audit log.</p>
      {track.error ? (
        <p role="alert" className="error">
          {track.error.message}
        </p>
      ) : null}
    </div>
  );
}
