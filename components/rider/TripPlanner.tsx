'use client';
import { useQuery } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import { useEffect, useState } from 'react';
import type { TripEnd } from '../map/TripMap';
import { type BookingView, useTRPC } from '../trpc';
import { useNow } from '../ui/use-now';
import { PlaceField } from './PlaceField';
import { QuoteCard } from './QuoteCard';
import { fromLocalInput, ScheduleChoice, type When } from './ScheduleChoice';
import type { TripDraft, TripEndValue } from './trip-draft';
import { useBookTrip } from './use-book-trip';
import { useQuoteLock } from './use-quote-lock';
import { VehicleChoice } from './VehicleChoice';

const TripMap = dynamic(() => import('../map/TripMap').then((m) => m.TripMap), {
  ssr: false,
  loading: () => <p>Loading map…</p>,
});

/**
 * Plan a trip: both ends (a named place, a click on the map, or a dragged pin), a vehicle type and
 * when; then a quote with its breakdown and price lock, and the button that books it.
 */
export function TripPlanner({
  initial,
  onBooked,
}: {
  initial: TripDraft;
  onBooked: (b: BookingView) => void;
}) {
  const trpc = useTRPC();
  const types = useQuery(trpc.catalog.vehicleTypes.queryOptions());
  const [pickup, setPickup] = useState<TripEndValue | null>(initial.pickup);
  const [dropoff, setDropoff] = useState<TripEndValue | null>(initial.dropoff);
  const [vehicleTypeId, setVehicleTypeId] = useState(initial.vehicleTypeId);
  const [when, setWhen] = useState<When>({ mode: 'now' });
  const [clickSets, setClickSets] = useState<TripEnd>('dropoff');
  const [frameKey, setFrameKey] = useState('initial');
  const now = useNow(30_000);
  const lock = useQuoteLock();
  const booking = useBookTrip(onBooked);

  // Any change to the trip voids the quote: it priced another trip.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the inputs are the trigger
  useEffect(() => {
    lock.clear();
    booking.reset();
  }, [pickup, dropoff, vehicleTypeId, when]);

  // A trip retried after "no driver found" is priced again at once.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, for the draft the page opened with
  useEffect(() => {
    if (initial.pickup && initial.dropoff) askForQuote();
  }, []);

  // A booking refused because its price lock ran out or was used gets a fresh price.
  const bookError = booking.error;
  // biome-ignore lint/correctness/useExhaustiveDependencies: reacts to a new refusal only
  useEffect(() => {
    if (bookError?.field === 'quoteToken') lock.refresh();
  }, [bookError]);

  const scheduledFor = when.mode === 'later' ? fromLocalInput(when.local) : null;
  function askForQuote() {
    if (!pickup || !dropoff) return;
    lock.request({
      pickup: { lat: pickup.lat, lng: pickup.lng },
      dropoff: { lat: dropoff.lat, lng: dropoff.lng },
      vehicleTypeId,
      scheduledFor,
    });
  }

  const setEnd = (end: TripEnd, value: TripEndValue, reframe: boolean) => {
    (end === 'pickup' ? setPickup : setDropoff)(value);
    if (reframe) setFrameKey(`${end}:${value.lat},${value.lng}`);
  };
  const quoteError = lock.error;
  const errorFor = (field: string) => (quoteError?.field === field ? quoteError.message : null);
  const vehicleName = types.data?.find((t) => t.id === vehicleTypeId)?.name ?? vehicleTypeId;

  return (
    <div className="rider-planner">
      <section className="card" data-testid="trip-planner">
        <h2>Where to?</h2>
        <PlaceField
          label="Pickup"
          testId="pickup-value"
          value={pickup}
          error={errorFor('pickup')}
          onChange={(v) => setEnd('pickup', v, true)}
        />
        <PlaceField
          label="Drop-off"
          testId="dropoff-value"
          value={dropoff}
          error={errorFor('dropoff')}
          onChange={(v) => setEnd('dropoff', v, true)}
        />
        <fieldset className="choice-row">
          <legend>A click on the map sets</legend>
          {(['pickup', 'dropoff'] as const).map((end) => (
            <label key={end} className="choice">
              <input
                type="radio"
                name="click-sets"
                checked={clickSets === end}
                onChange={() => setClickSets(end)}
              />
              {end === 'pickup' ? 'Pickup' : 'Drop-off'}
            </label>
          ))}
        </fieldset>
        <p className="muted">Drag the A and B pins to adjust.</p>
      </section>
      <TripMap
        pickup={pickup}
        dropoff={dropoff}
        route={lock.quote?.route ?? null}
        editable
        clickSets={clickSets}
        frameKey={frameKey}
        onPick={(end, at) => setEnd(end, { ...at, label: null }, false)}
      />
      <section className="card">
        <VehicleChoice value={vehicleTypeId} onChange={setVehicleTypeId} />
        <ScheduleChoice value={when} now={now} error={errorFor('scheduledFor')} onChange={setWhen} />
        <button
          type="button"
          className="button primary big-button"
          disabled={!pickup || !dropoff || lock.pending || (when.mode === 'later' && scheduledFor === null)}
          onClick={askForQuote}
        >
          {lock.pending ? 'Pricing…' : 'See the fare'}
        </button>
        {quoteError && !['pickup', 'dropoff', 'scheduledFor'].includes(quoteError.field ?? '') ? (
          <p className="error" role="alert" data-testid="quote-error">
            {quoteError.message}
          </p>
        ) : null}
      </section>
      {lock.quote ? (
        <QuoteCard
          quote={lock.quote}
          vehicleName={vehicleName}
          remainingMs={lock.remainingMs}
          expired={lock.expired}
          refreshing={lock.pending}
          priceChangedFrom={lock.priceChangedFrom}
          booking={booking.pending}
          error={booking.error}
          onBook={() =>
            lock.quote &&
            booking.book(lock.quote, {
              pickupLabel: pickup?.label ?? null,
              dropoffLabel: dropoff?.label ?? null,
            })
          }
          onRefresh={lock.refresh}
        />
      ) : null}
    </div>
  );
}
