'use client';
import dynamic from 'next/dynamic';
import { useState } from 'react';
import type { BookingView } from '../trpc';
import { distance, duration, formatMoney, placeName, words } from '../ui/format';

const TripMap = dynamic(() => import('../map/TripMap').then((m) => m.TripMap), {
  ssr: false,
  loading: () => <p>Loading map…</p>,
});

export type TripActionInput = { action: 'arrived' | 'start' | 'complete' | 'cancel'; reason?: string };

const nextStep: Partial<Record<BookingView['status'], { action: TripActionInput['action']; label: string }>> =
  {
    accepted: { action: 'arrived', label: 'Arrived at pickup' },
    arrived: { action: 'start', label: 'Start trip' },
    in_progress: { action: 'complete', label: 'Complete trip' },
  };

/** Reasons a driver gives most; any other is typed (the server requires one, ≤ 200 characters). */
const commonReasons = [
  'Rider not at the pickup',
  'Vehicle problem',
  'Unsafe pickup location',
  'Rider asked to cancel',
];

/**
 * The trip under way on the driver's phone: where to go (the road route on a map and the next
 * road to take, where the server times trips by road), and the one next step as a big button.
 */
export function TripPanel({
  trip,
  busy,
  onAction,
}: {
  trip: BookingView;
  busy: boolean;
  onAction: (input: TripActionInput) => void;
}) {
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const step = nextStep[trip.status];
  const headingTo = trip.status === 'in_progress' ? trip.dropoff : trip.pickup;
  return (
    <section className="trip-panel" data-testid="trip-panel" data-status={trip.status}>
      <div className="offer-top">
        <strong className="trip-state" data-testid="trip-state">
          {words(trip.status)}
        </strong>
        <span>{formatMoney(trip.fare.total, trip.currency)}</span>
      </div>
      <dl className="offer-facts">
        <dt>Rider</dt>
        <dd data-testid="trip-rider">{trip.rider?.name ?? 'Rider'}</dd>
        <dt>{trip.status === 'in_progress' ? 'Drop-off' : 'Pickup'}</dt>
        <dd data-testid="trip-heading-to">
          {placeName(headingTo)}
          <br />
          <small>
            {headingTo.lat.toFixed(5)}, {headingTo.lng.toFixed(5)}
          </small>
        </dd>
      </dl>
      {trip.way ? (
        <>
          <p className="trip-way" data-testid="trip-way" data-points={trip.way.path.length}>
            {trip.way.nextRoad ? (
              <>
                Next: <strong data-testid="trip-next-road">{trip.way.nextRoad}</strong> ·{' '}
              </>
            ) : null}
            {distance(trip.way.distanceM)} to the {trip.way.to === 'pickup' ? 'pickup' : 'drop-off'},{' '}
            {duration(trip.way.durationS)}
          </p>
          <TripMap
            pickup={trip.pickup}
            dropoff={trip.dropoff}
            driver={trip.way.to === 'pickup' ? trip.way.path[0] : null}
            route={trip.way.path}
            editable={false}
            frameKey={`${trip.id}-${trip.way.to}`}
          />
        </>
      ) : null}
      {step && !cancelling ? (
        <button
          type="button"
          className="button driver-action accept"
          disabled={busy}
          onClick={() => onAction({ action: step.action })}
        >
          {step.label}
        </button>
      ) : null}
      {cancelling ? (
        <form
          className="cancel-form"
          onSubmit={(e) => {
            e.preventDefault();
            onAction({ action: 'cancel', reason: reason.trim() });
          }}
        >
          <label>
            Why are you cancelling?
            <select
              value={commonReasons.includes(reason) ? reason : ''}
              onChange={(e) => setReason(e.target.value)}
            >
              <option value="">Choose a reason</option>
              {commonReasons.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <input
            aria-label="Cancel reason"
            maxLength={200}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder="Reason"
          />
          <div className="button-row">
            <button type="submit" className="button driver-action danger" disabled={busy || !reason.trim()}>
              Cancel trip
            </button>
            <button type="button" className="button driver-action" onClick={() => setCancelling(false)}>
              Back
            </button>
          </div>
        </form>
      ) : (
        <button type="button" className="button driver-action subtle" onClick={() => setCancelling(true)}>
          Cancel trip…
        </button>
      )}
    </section>
  );
}
