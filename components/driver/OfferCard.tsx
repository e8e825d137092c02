'use client';
import { useEffect } from 'react';
import { haversineMeters, type LatLng } from '@/domain/geo';
import type { OfferView } from '@/domain/realtime-contract';
import { countdown, distance, formatMoney, placeName } from '../ui/format';
import { useNow } from '../ui/use-now';

/**
 * A trip offered to this driver: where, how far, what it pays, and how long is left to answer.
 * When the time is up the card goes by itself (the server moves on to the next driver anyway).
 */
export function OfferCard({
  offer,
  position,
  busy,
  onAnswer,
  onExpired,
}: {
  offer: OfferView;
  position: LatLng | null;
  busy: boolean;
  onAnswer: (accept: boolean) => void;
  onExpired: () => void;
}) {
  const now = useNow(250);
  const leftMs = offer.expiresAt - now;
  useEffect(() => {
    if (leftMs <= 0) onExpired();
  }, [leftMs, onExpired]);
  const toPickupM = offer.pickupDistanceM ?? (position ? haversineMeters(position, offer.pickup) : null);
  const tripM = haversineMeters(offer.pickup, offer.dropoff);
  return (
    <section
      className="offer-card"
      data-testid="offer-card"
      data-booking-id={offer.bookingId}
      aria-live="assertive"
    >
      <div className="offer-top">
        <strong>New trip</strong>
        <span className="offer-countdown" data-testid="offer-countdown">
          {countdown(leftMs)}
        </span>
      </div>
      <div className="offer-fare" data-testid="offer-fare">
        {formatMoney(offer.fareTotal, offer.currency)}
      </div>
      <dl className="offer-facts">
        <dt>Pickup</dt>
        <dd data-testid="offer-pickup">
          {placeName(offer.pickup)}
          {toPickupM !== null ? (
            <span data-testid="offer-distance"> · {distance(toPickupM)} away</span>
          ) : null}
        </dd>
        <dt>Drop-off</dt>
        <dd data-testid="offer-dropoff">
          {placeName(offer.dropoff)} · ≈ {distance(tripM)}
        </dd>
      </dl>
      <div className="button-row">
        <button
          type="button"
          className="button driver-action accept"
          disabled={busy}
          onClick={() => onAnswer(true)}
        >
          Accept
        </button>
        <button
          type="button"
          className="button driver-action"
          disabled={busy}
          onClick={() => onAnswer(false)}
        >
          Decline
        </button>
      </div>
    </section>
  );
}
