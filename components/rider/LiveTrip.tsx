'use client';
import dynamic from 'next/dynamic';
import { activeWithDriver, canApplyBookingEvent, isTerminal } from '@/domain/booking';
import { straightLineEstimator } from '@/domain/eta';
import { useRealtimeSocket } from '../realtime/use-realtime-socket';
import { CancelTrip } from './CancelTrip';
import { DriverCard } from './DriverCard';
import { Receipt } from './Receipt';
import type { TripDraft } from './trip-draft';
import { tripStatusText } from './trip-status-text';
import { useLiveBooking } from './use-live-booking';

const TripMap = dynamic(() => import('../map/TripMap').then((m) => m.TripMap), {
  ssr: false,
  loading: () => <p>Loading map…</p>,
});

const estimator = straightLineEstimator();

/**
 * The rider's trip as it happens: searching → driver on the way (who, which car, where, how soon)
 * → at the pickup → on the trip → receipt; or cancelled, or no driver found with a retry.
 */
export function LiveTrip({
  bookingId,
  onClose,
  onRetry,
}: {
  bookingId: string;
  onClose: () => void;
  onRetry: (draft: TripDraft) => void;
}) {
  const { socket, status: connection } = useRealtimeSocket();
  const { view, error, lastUpdate, driverAt, reload } = useLiveBooking(bookingId, socket);
  if (!view) {
    return error ? (
      <p className="error" role="alert">
        {error.message}
      </p>
    ) : (
      <p>Loading your trip…</p>
    );
  }

  const withDriver = activeWithDriver.includes(view.status) && view.driver !== null;
  const driverPosition = withDriver ? driverAt : null;
  const target =
    view.status === 'accepted' ? view.pickup : view.status === 'in_progress' ? view.dropoff : null;
  const etaS =
    driverPosition && target ? Math.round(estimator.estimate(driverPosition, target).durationS) : view.etaS;
  const [headline, detail] = tripStatusText(view, lastUpdate);

  return (
    <div className="rider-trip" data-testid="live-trip" data-booking-id={view.id}>
      <section className="card">
        <div className="trip-head">
          <h2 data-testid="trip-status" data-status={view.status}>
            {headline}
          </h2>
          <span className="muted" data-testid="trip-connection">
            {connection === 'connected' ? 'live' : connection}
          </span>
        </div>
        {detail ? <p data-testid="trip-detail">{detail}</p> : null}
        {error ? (
          <p className="error" role="alert">
            {error.message}
          </p>
        ) : null}
      </section>
      {withDriver && view.driver ? (
        <DriverCard driver={view.driver} status={view.status} etaS={etaS} />
      ) : null}
      <TripMap
        pickup={view.pickup}
        dropoff={view.dropoff}
        driver={driverPosition}
        route={view.way?.path ?? null}
        editable={false}
        frameKey={`${view.id}:${view.status}:${driverPosition ? 'driver' : ''}`}
      />
      {canApplyBookingEvent(view.status, 'rider_cancelled') ? (
        <CancelTrip view={view} onCancelled={() => void reload()} />
      ) : null}
      {view.status === 'completed' ? <Receipt view={view} /> : null}
      {view.status === 'no_driver_found' ? (
        <button
          type="button"
          className="button primary big-button"
          onClick={() =>
            onRetry({ pickup: view.pickup, dropoff: view.dropoff, vehicleTypeId: view.vehicleTypeId })
          }
        >
          Try again
        </button>
      ) : null}
      {isTerminal(view.status) ? (
        <button type="button" className="button big-button" onClick={onClose}>
          Book another trip
        </button>
      ) : null}
    </div>
  );
}
